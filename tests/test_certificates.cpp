// SPDX-License-Identifier: Apache-2.0
#include "test_certificates.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstring> // EVP_EC_gen() expands to strstr()
#include <memory>
#include <utility>
#include <vector>

namespace benchdeck::testing {
namespace {

struct OpenSslFree {
    void operator()(EVP_PKEY* key) const noexcept { EVP_PKEY_free(key); }
    void operator()(X509* cert) const noexcept { X509_free(cert); }
    void operator()(X509_EXTENSION* extension) const noexcept { X509_EXTENSION_free(extension); }
    void operator()(BIO* bio) const noexcept { BIO_free_all(bio); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree>;
using CertPtr = std::unique_ptr<X509, OpenSslFree>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree>;

// Sets *error to `what` and OpenSSL's reason for the last error it queued, then empties the queue so
// that later TLS calls on this thread do not see stale errors. Returns false, for `return fail(...)`.
bool fail(std::string* error, const std::string& what)
{
    const unsigned long code = ERR_peek_last_error();
    const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
    *error = what + ": " + (reason != nullptr ? reason : "unknown OpenSSL error");
    ERR_clear_error();
    return false;
}

struct CertSpec {
    const char* commonName;
    long serial;
    long validFrom, validUntil; // seconds from now; negative: in the past
    const char* basicConstraints;
    const char* keyUsage;
    const char* subjectAltName; // nullptr for the CA, which gets no extendedKeyUsage either
};

KeyPtr makeKey(std::string* error)
{
    KeyPtr key(EVP_EC_gen("P-256"));
    if (!key) {
        fail(error, "cannot generate a P-256 key");
    }
    return key;
}

// A certificate for `key`, signed by `issuerKey` as `issuerCert`; self-signed when `issuerCert` is null.
CertPtr makeCertificate(const CertSpec& spec, EVP_PKEY* key, X509* issuerCert, EVP_PKEY* issuerKey,
                        std::string* error)
{
    CertPtr cert(X509_new());
    if (!cert) {
        fail(error, "X509_new");
        return nullptr;
    }
    X509* const self = cert.get();
    if (issuerCert == nullptr) {
        issuerCert = self;
        issuerKey = key;
    }
    const std::string what = std::string("cannot make the certificate for ") + spec.commonName;
    const bool basics =
        X509_set_version(self, 2) == 1 // X.509 v3
        && ASN1_INTEGER_set(X509_get_serialNumber(self), spec.serial) == 1
        && X509_gmtime_adj(X509_getm_notBefore(self), spec.validFrom) != nullptr
        && X509_gmtime_adj(X509_getm_notAfter(self), spec.validUntil) != nullptr
        && X509_set_pubkey(self, key) == 1
        && X509_NAME_add_entry_by_txt(X509_get_subject_name(self), "CN", MBSTRING_ASC,
                                      reinterpret_cast<const unsigned char*>(spec.commonName), -1, -1, 0) == 1
        && X509_set_issuer_name(self, X509_get_subject_name(issuerCert)) == 1;
    if (!basics) {
        fail(error, what);
        return nullptr;
    }

    // The subject key identifier comes before the authority's: for self-signed certificates
    // "keyid:always" reads it back from the certificate itself.
    std::vector<std::pair<int, const char*>> extensions{{NID_basic_constraints, spec.basicConstraints},
                                                        {NID_key_usage, spec.keyUsage}};
    if (spec.subjectAltName != nullptr) {
        extensions.emplace_back(NID_ext_key_usage, "serverAuth");
        extensions.emplace_back(NID_subject_alt_name, spec.subjectAltName);
    }
    extensions.emplace_back(NID_subject_key_identifier, "hash");
    extensions.emplace_back(NID_authority_key_identifier, "keyid:always");
    X509V3_CTX context{};
    X509V3_set_ctx(&context, issuerCert, self, nullptr, nullptr, 0);
    for (const auto& [nid, value] : extensions) {
        const ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
        if (!extension || X509_add_ext(self, extension.get(), -1) != 1) {
            fail(error, what + " (" + OBJ_nid2sn(nid) + " " + value + ")");
            return nullptr;
        }
    }
    if (X509_sign(self, issuerKey, EVP_sha256()) <= 0) {
        fail(error, what + " (signing)");
        return nullptr;
    }
    return cert;
}

// Writes `cert`, or else `key` (unencrypted PKCS #8), to `path` as PEM.
bool writePem(const std::string& path, X509* cert, EVP_PKEY* key, std::string* error)
{
    const BioPtr file(BIO_new_file(path.c_str(), "w"));
    const bool written =
        file
        && (cert != nullptr ? PEM_write_bio_X509(file.get(), cert)
                            : PEM_write_bio_PrivateKey(file.get(), key, nullptr, nullptr, 0, nullptr, nullptr))
               == 1
        && BIO_flush(file.get()) == 1;
    return written || fail(error, "cannot write " + path);
}

} // namespace

std::optional<TestPki> makeTestPki(const std::string& directory, std::string* error)
{
    std::string ignored;
    if (error == nullptr) {
        error = &ignored;
    }
    ERR_clear_error(); // so that a failure reports its own reason, not an older one
    constexpr long hour = 3600;
    constexpr long day = 24 * hour;
    constexpr const char* local = "DNS:localhost,IP:127.0.0.1,IP:::1";
    const std::string base = directory + '/';
    TestPki pki;

    const KeyPtr caKey = makeKey(error);
    if (!caKey) {
        return std::nullopt;
    }
    const CertSpec caSpec{"Benchdeck Test CA",           1, -hour, 2 * day - hour, "critical,CA:TRUE",
                          "critical,keyCertSign,cRLSign", nullptr};
    const CertPtr ca = makeCertificate(caSpec, caKey.get(), nullptr, nullptr, error);
    if (!ca || !writePem(base + "ca.pem", ca.get(), nullptr, error)) {
        return std::nullopt;
    }
    pki.caCert = base + "ca.pem";

    // The self-signed one may also sign certificates (keyCertSign), as `openssl req -x509` makes
    // them: only then does OpenSSL's verifier call it self-signed ("self-signed certificate") rather
    // than look for an issuer elsewhere, and only then can it be trusted as its own anchor.
    struct Leaf {
        CertSpec spec;
        bool selfSigned;
        const char* fileName;
        std::string* cert;
        std::string* key;
    };
    const Leaf leaves[] = {
        {{"localhost", 2, -hour, 2 * day - hour, "CA:FALSE", "digitalSignature", local},
         false, "server", &pki.serverCert, &pki.serverKey},
        {{"other.example", 3, -hour, 2 * day - hour, "CA:FALSE", "digitalSignature", "DNS:other.example"},
         false, "wrong-host", &pki.wrongHostCert, &pki.wrongHostKey},
        {{"localhost", 4, -10 * day, -day, "CA:FALSE", "digitalSignature", local},
         false, "expired", &pki.expiredCert, &pki.expiredKey},
        {{"localhost", 5, -hour, 2 * day - hour, "CA:FALSE", "digitalSignature,keyCertSign", local},
         true, "self-signed", &pki.selfSignedCert, &pki.selfSignedKey},
    };
    for (const Leaf& leaf : leaves) {
        const KeyPtr key = makeKey(error);
        if (!key) {
            return std::nullopt;
        }
        const CertPtr cert = makeCertificate(leaf.spec, key.get(), leaf.selfSigned ? nullptr : ca.get(),
                                             leaf.selfSigned ? nullptr : caKey.get(), error);
        const std::string certPath = base + leaf.fileName + ".pem";
        const std::string keyPath = base + leaf.fileName + "-key.pem";
        if (!cert || !writePem(certPath, cert.get(), nullptr, error)
            || !writePem(keyPath, nullptr, key.get(), error)) {
            return std::nullopt;
        }
        *leaf.cert = certPath;
        *leaf.key = keyPath;
    }
    return pki;
}

TestPkiFolder::TestPkiFolder()
{
    if (!directory.isValid()) {
        error = "cannot create a temporary folder for the test PKI";
        return;
    }
    if (auto pki = makeTestPki(directory.path().toStdString(), &error)) {
        static_cast<TestPki&>(*this) = *pki;
    }
}

} // namespace benchdeck::testing
