// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "run_jobs.h"

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace benchdeck::workflow {

// Why a server launch command is refused outright, before anyone is asked: a NUL or a control
// character other than newline and tab, which could hide text from the person approving it.
std::optional<std::string> commandRefusal(const std::string& command);

// Launch commands come from session files, which anyone may send: each runs only after the person at
// the machine has seen it and said yes. Who answers is injected: the app's consent dialog, a test's
// scripted answer; without a prompter, nobody said yes and nothing runs.
class CommandApproval {
public:
    using Prompter = std::function<bool(const std::vector<std::string>& commands)>;

    void setPrompter(Prompter prompter) { prompter_ = std::move(prompter); }
    // Nothing when every job's command may run (approved before, or just now); otherwise why not.
    std::optional<std::string> approve(const std::vector<RunJob>& jobs);
    void forget() { approved_.clear(); }

private:
    Prompter prompter_;
    std::set<std::string> approved_;
};

} // namespace benchdeck::workflow
