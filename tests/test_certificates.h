// SPDX-License-Identifier: Apache-2.0
#pragma once

// A private test PKI for TLS tests, made with OpenSSL on every call: nothing checked in that could
// expire, nothing shared between test runs.

#include <QTemporaryDir>

#include <optional>
#include <string>

namespace benchdeck::testing {

// A private certificate authority and the server certificates TLS tests need, written as PEM files
// into `directory` (which must exist). Everything is generated fresh (no fixtures to expire). All
// members are paths to those files.
struct TestPki {
    std::string caCert;                        // the CA's certificate: what --cacert is given
    std::string serverCert, serverKey;         // valid now, for localhost, 127.0.0.1 and ::1, signed by the CA
    std::string wrongHostCert, wrongHostKey;   // signed by the CA, valid now, but only for "other.example"
    std::string expiredCert, expiredKey;       // signed by the CA, for localhost/127.0.0.1, expired a day ago
    std::string selfSignedCert, selfSignedKey; // for localhost/127.0.0.1, signed by itself (not the CA)
};

// Returns nullopt and sets *error (one line, OpenSSL's reason) if anything fails.
std::optional<TestPki> makeTestPki(const std::string& directory, std::string* error);

// A fresh test PKI in a temporary folder that goes with it: what a TLS test holds for its run.
struct TestPkiFolder : TestPki {
    TestPkiFolder();
    QTemporaryDir directory;
    std::string error; // empty once the PKI is ready
};

} // namespace benchdeck::testing
