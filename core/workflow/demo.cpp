// SPDX-License-Identifier: Apache-2.0
#include "demo.h"

namespace benchdeck::workflow {

using namespace std::chrono_literals;

const std::vector<DemoBackend>& demoBackends()
{
    static const std::vector<DemoBackend> backends = [] {
        std::vector<DemoBackend> list(3);
        list[0].name = "steady";
        list[0].stack = "go";
        list[0].behaviour = "answers in 2 ms, every time";
        list[0].options.delay = 2ms;
        list[1].name = "jittery";
        list[1].stack = "node";
        list[1].behaviour = "answers in 5 ms ± 4 ms, and holds one response in 200 for an extra 100 ms";
        list[1].options.delay = 5ms;
        list[1].options.jitter = 4ms;
        list[1].options.stallEvery = 200;
        list[1].options.stallFor = 100ms;
        list[2].name = "flaky";
        list[2].stack = "python";
        list[2].behaviour = "answers in 1 ms, but 5% of answers are HTTP 500 and every 100th closes the connection";
        list[2].options.delay = 1ms;
        list[2].options.errorRate = 0.05;
        list[2].options.closeEvery = 100;
        return list;
    }();
    return backends;
}

store::Profile demoProfile()
{
    store::Profile profile;
    profile.name = "Demo: 20 users, 3 s";
    profile.load.connections = 20;
    profile.load.duration = 3s;
    profile.load.warmup = 500ms;
    return profile;
}

std::string demoUrl(uint16_t port)
{
    return "http://127.0.0.1:" + std::to_string(port) + "/json";
}

bool DemoServers::start(std::string* error)
{
    stop();
    for (const auto& backend : demoBackends()) {
        auto server = std::make_unique<target::TargetServer>(backend.options);
        if (!server->start(error)) {
            *error = "cannot start the " + backend.name + " demo backend: " + *error;
            stop();
            return false;
        }
        servers_.push_back(std::move(server));
    }
    return true;
}

void DemoServers::stop()
{
    servers_.clear();
}

std::optional<SeededSession> seedDemoSession(store::SessionFile& session, const DemoServers& servers, std::string* error)
{
    SeededSession demo;
    for (size_t i = 0; i < servers.size() && i < demoBackends().size(); ++i) {
        const auto& backend = demoBackends()[i];
        store::Candidate candidate{0, backend.name + " · demo", backend.stack, backend.behaviour};
        if (!session.saveCandidate(candidate, error)) {
            return std::nullopt;
        }
        store::Target target;
        target.candidateId = candidate.id;
        target.name = "GET /json";
        target.request.url = demoUrl(servers.port(i));
        if (!session.saveTarget(target, false, error)) {
            return std::nullopt;
        }
        demo.targetIds.push_back(target.id);
    }
    store::Profile profile = demoProfile();
    if (!session.saveProfile(profile, error)) {
        return std::nullopt;
    }
    demo.profileId = profile.id;
    return demo;
}

} // namespace benchdeck::workflow
