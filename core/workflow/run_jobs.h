// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "load_runner.h"
#include "store/session_file.h"

#include <map>

namespace benchdeck::workflow {

// Credential header values the user chose not to store in the session, kept for this process only
// so that the targets still run (target id -> headers).
using SecretHeaders = std::map<int64_t, std::vector<engine::Header>>;

// After `target` was saved: remembers the credential values its file copy left out (all of them
// unless keepSecrets), replacing what was remembered for it.
void rememberWithheldSecrets(SecretHeaders& secrets, const store::Target& target, bool keepSecrets);
// For editing a stored target: its withheld credential values filled back in from what this process
// remembers. Returns whether the file itself keeps a credential value (the editor's "keep" box).
bool restoreRememberedSecrets(const SecretHeaders& secrets, store::Target& target);

// The jobs that run `targetIds` with one profile: each target's request with the profile's load,
// labelled by its candidate. Fails with a one-line reason (missing profile, invalid plan).
std::optional<std::vector<RunJob>> buildJobs(const store::SessionFile& session, const std::vector<int64_t>& targetIds,
                                             int64_t profileId, const SecretHeaders& secrets, std::string* error);

// Files a recorded run under a candidate and a target of the session, creating either when new (a
// candidate by name, a target by candidate and URL), so that the decision table can use the run.
bool fileUnderCandidate(store::SessionFile& session, int64_t runId, const engine::RunConfig& config,
                        const std::string& candidateName, const std::string& stack, std::string* error);

} // namespace benchdeck::workflow
