// SPDX-License-Identifier: Apache-2.0
#include "run_jobs.h"

#include "engine/scenario_plan.h"
#include "engine/target_url.h"
#include "plan/plan_codec.h"
#include "plan/scenario_file.h"
#include "store/run_record.h"

#include <algorithm>

namespace benchdeck::workflow {

void rememberWithheldSecrets(SecretHeaders& secrets, const store::Target& target, bool keepSecrets)
{
    auto& remembered = secrets[target.id];
    remembered.clear();
    for (const auto& header : target.request.headers) {
        if (!keepSecrets && plan::isCredentialHeader(header.name)) {
            remembered.push_back(header);
        }
    }
}

bool restoreRememberedSecrets(const SecretHeaders& secrets, store::Target& target)
{
    bool keptInFile = false;
    const auto remembered = secrets.find(target.id);
    for (auto& header : target.request.headers) {
        keptInFile = keptInFile || (plan::isCredentialHeader(header.name) && !header.value.empty());
        if (remembered == secrets.end() || !header.value.empty()) {
            continue;
        }
        for (const auto& secret : remembered->second) {
            if (secret.name == header.name) {
                header.value = secret.value; // known again, from this run of the app
                header.withheld = false;
            }
        }
    }
    return keptInFile;
}

std::optional<std::vector<RunJob>> buildJobs(const store::SessionFile& session, const std::vector<int64_t>& targetIds,
                                             int64_t profileId, const SecretHeaders& secrets, std::string* error)
{
    const auto profiles = session.profiles(error);
    const auto profile = std::find_if(profiles.begin(), profiles.end(), [&](const auto& p) { return p.id == profileId; });
    if (profile == profiles.end()) {
        *error = "choose a load profile first (add one with Session > Add load profile)";
        return std::nullopt;
    }
    std::map<int64_t, std::string> candidateNames;
    for (const auto& candidate : session.candidates(error)) {
        candidateNames[candidate.id] = candidate.name;
    }
    std::vector<RunJob> jobs;
    for (const auto& target : session.targets(error)) {
        if (std::find(targetIds.begin(), targetIds.end(), target.id) == targetIds.end()) {
            continue;
        }
        RunJob job;
        job.config = target.request;
        if (const auto kept = secrets.find(target.id); kept != secrets.end()) {
            for (auto& header : job.config.headers) {
                for (const auto& secret : kept->second) {
                    if (header.name == secret.name && header.value.empty()) {
                        header.value = secret.value;
                    }
                }
            }
        }
        const auto& load = profile->load;
        job.config.connections = load.connections;
        job.config.threads = load.threads;
        job.config.duration = load.duration;
        job.config.requests = load.requests;
        job.config.warmup = load.warmup;
        job.config.rate = load.rate;
        job.config.openModel = load.openModel;
        job.config.stages = load.stages;
        job.config.thresholds = load.thresholds;
        if (target.request.scenario) {
            // A target keeps its scenario's workload and where its data lives; the rows are read now.
            std::string why;
            job.config.scenario = plan::reloadScenarioData(*target.request.scenario, &why);
            if (!job.config.scenario) {
                *error = (target.name.empty() ? std::string("target") : target.name) + ": " + why;
                return std::nullopt;
            }
            job.config.url = job.config.scenario->origin;
        }
        job.serverPid = int(target.serverPid);
        job.serverCommand = target.serverCommand; // the window asks before any of these runs
        job.artifactPaths = target.artifactPaths;
        const auto candidate = candidateNames.find(target.candidateId);
        job.config.label = candidate != candidateNames.end() ? candidate->second
                           : target.name.empty()             ? engine::maskUrlCredentials(target.request.url)
                                                             : target.name;
        if (candidate != candidateNames.end()) {
            job.candidate = candidate->second;
        }
        job.targetId = target.id;
        job.profileId = profile->id;
        if (auto problem = engine::validate(job.config)) {
            *error = job.config.label + ": " + *problem;
            return std::nullopt;
        }
        jobs.push_back(std::move(job));
    }
    if (jobs.empty()) {
        *error = "select a target to run (or add one with Session > Add target)";
        return std::nullopt;
    }
    return jobs;
}

bool fileUnderCandidate(store::SessionFile& session, int64_t runId, const engine::RunConfig& config,
                        const std::string& candidateName, const std::string& stack, std::string* error)
{
    if (candidateName.empty()) {
        *error = "--candidate needs a name";
        return false;
    }
    store::Candidate candidate;
    for (const auto& existing : session.candidates(error)) {
        if (existing.name == candidateName) {
            candidate = existing;
        }
    }
    if (candidate.id == 0 || (!stack.empty() && candidate.stack != stack)) {
        candidate.name = candidateName;
        candidate.stack = stack.empty() ? candidate.stack : stack;
        if (!session.saveCandidate(candidate, error)) {
            return false;
        }
    }
    // The same target: the same URL, and the same scenario file when it is a scenario run.
    const auto scenarioFile = [](const engine::RunConfig& c) {
        return c.scenario ? std::optional<std::string>(c.scenario->file) : std::nullopt;
    };
    store::Target target;
    for (const auto& existing : session.targets(error)) {
        if (existing.candidateId == candidate.id && scenarioFile(existing.request) == scenarioFile(config) &&
            engine::maskUrlCredentials(existing.request.url) == engine::maskUrlCredentials(config.url)) {
            target = existing;
        }
    }
    if (target.id == 0) {
        target.candidateId = candidate.id;
        const std::string file = config.scenario ? config.scenario->file : std::string();
        target.name = config.scenario ? "scenario " + file.substr(file.find_last_of('/') + 1)
                                      : config.method + " " + engine::maskUrlCredentials(config.url);
        target.request = config;
        if (!session.saveTarget(target, false, error)) {
            return false;
        }
    }
    return session.attachRun(runId, target.id, 0, error);
}

} // namespace benchdeck::workflow
