// SPDX-License-Identifier: Apache-2.0
#include "command_approval.h"

#include <algorithm>
#include <cstdio>

namespace benchdeck::workflow {

std::optional<std::string> commandRefusal(const std::string& command)
{
    for (const char c : command) {
        const auto code = static_cast<unsigned char>(c);
        if (code == 0) {
            return std::string("it contains a NUL character");
        }
        if ((code < 0x20 && code != '\n' && code != '\t') || code == 0x7f) {
            char text[64];
            std::snprintf(text, sizeof text, "it contains the control character \\u%04x", unsigned(code));
            return std::string(text);
        }
    }
    return std::nullopt;
}

std::optional<std::string> CommandApproval::approve(const std::vector<RunJob>& jobs)
{
    std::vector<std::string> unapproved;
    for (const auto& job : jobs) {
        const std::string& command = job.serverCommand;
        if (!command.empty() && !approved_.contains(command) &&
            std::find(unapproved.begin(), unapproved.end(), command) == unapproved.end()) {
            unapproved.push_back(command);
        }
    }
    for (const auto& command : unapproved) {
        if (auto refusal = commandRefusal(command)) {
            return "a server command in this session was refused: " + *refusal;
        }
    }
    if (unapproved.empty()) {
        return std::nullopt;
    }
    if (!prompter_ || !prompter_(unapproved)) {
        return std::string("the server commands were not approved, so nothing was started");
    }
    approved_.insert(unapproved.begin(), unapproved.end());
    return std::nullopt;
}

} // namespace benchdeck::workflow
