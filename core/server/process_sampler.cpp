// SPDX-License-Identifier: Apache-2.0
#include "process_sampler.h"

#include <curl/curl.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unordered_map>

namespace benchdeck::server {
namespace {

size_t discardProbeBody(char*, size_t size, size_t count, void*)
{
    return size * count;
}

// Whether GET url gets an HTTP answer below 500 within a second: the launched server is up and routing
// (a 401 or 404 says so too; a 503 while it warms up does not). Certificates are not checked: this
// asks only whether something answers, and nothing it says is used.
bool answersHttp(const std::string& url)
{
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), &curl_easy_cleanup);
    curl_easy_setopt(easy.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT_MS, 1000L);
    curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy.get(), CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(easy.get(), CURLOPT_SSL_VERIFYHOST, 0L);
    curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, &discardProbeBody);
    long status = 0;
    return curl_easy_perform(easy.get()) == CURLE_OK &&
           curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &status) == CURLE_OK && status > 0 && status < 500;
}

using Clock = std::chrono::steady_clock;

constexpr double kBytesPerMb = 1024.0 * 1024.0;

// Reads a small /proc file whole; empty when it is gone.
std::string readSmallFile(const char* path)
{
    const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return {};
    }
    std::string text;
    char buffer[1024];
    while (true) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        text.append(buffer, size_t(n));
    }
    ::close(fd);
    return text;
}

// The fields of /proc/PID/stat this file uses.
struct ProcStat {
    pid_t pid = 0;
    pid_t ppid = 0;
    pid_t pgrp = 0;
    char state = '?';
    uint64_t cpuTicks = 0; // utime + stime
    uint64_t startTime = 0;
};

// The command name sits in parentheses and may itself hold spaces and parentheses: the fields
// resume after the last ')'.
std::optional<ProcStat> readStat(pid_t pid)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/stat";
    const std::string text = readSmallFile(path.c_str());
    const auto close = text.rfind(')');
    if (close == std::string::npos) {
        return std::nullopt;
    }
    std::istringstream fields(text.substr(close + 1));
    ProcStat stat;
    stat.pid = pid;
    // Field 3 on: state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
    // cutime cstime priority nice num_threads itrealvalue starttime.
    std::string skip;
    uint64_t utime = 0;
    uint64_t stime = 0;
    fields >> stat.state >> stat.ppid >> stat.pgrp;
    for (int i = 0; i < 8; ++i) {
        fields >> skip;
    }
    fields >> utime >> stime;
    for (int i = 0; i < 6; ++i) {
        fields >> skip;
    }
    fields >> stat.startTime;
    if (!fields) {
        return std::nullopt;
    }
    stat.cpuTicks = utime + stime;
    return stat;
}

// Every process in /proc (threads are not listed there, and their time is in their process's).
std::vector<ProcStat> allProcesses()
{
    std::vector<ProcStat> processes;
    DIR* proc = ::opendir("/proc");
    if (!proc) {
        return processes;
    }
    while (const dirent* entry = ::readdir(proc)) {
        char* end = nullptr;
        const long pid = std::strtol(entry->d_name, &end, 10);
        if (pid <= 0 || *end != '\0') {
            continue;
        }
        if (auto stat = readStat(pid_t(pid))) {
            processes.push_back(*stat);
        }
    }
    ::closedir(proc);
    return processes;
}

// Resident pages, the second field of /proc/PID/statm; nothing once the process is gone.
uint64_t residentPages(pid_t pid)
{
    const std::string path = "/proc/" + std::to_string(pid) + "/statm";
    std::istringstream fields(readSmallFile(path.c_str()));
    uint64_t size = 0;
    uint64_t resident = 0;
    fields >> size >> resident;
    return fields ? resident : 0;
}

std::string describeStatus(int status)
{
    if (WIFEXITED(status)) {
        return "exited with status " + std::to_string(WEXITSTATUS(status));
    }
    if (WIFSIGNALED(status)) {
        const char* name = sigabbrev_np(WTERMSIG(status));
        return "was killed by signal " + std::to_string(WTERMSIG(status)) + (name ? std::string(" (SIG") + name + ")" : "");
    }
    return "stopped";
}

// Processes of a group that are still running (zombies waiting for a parent to reap them are done).
bool groupAlive(pid_t group)
{
    for (const auto& process : allProcesses()) {
        if (process.pgrp == group && process.state != 'Z' && process.state != 'X') {
            return true;
        }
    }
    return false;
}

} // namespace

std::optional<std::string> checkProcess(pid_t pid)
{
    if (pid <= 0) {
        return "pid " + std::to_string(pid) + " is not a process id";
    }
    const std::string path = "/proc/" + std::to_string(pid);
    if (::access(path.c_str(), F_OK) != 0) {
        return "no process with pid " + std::to_string(pid);
    }
    const auto stat = readStat(pid);
    if (!stat) {
        return "cannot read /proc/" + std::to_string(pid) + "/stat";
    }
    if (stat->state == 'Z' || stat->state == 'X') {
        return "process " + std::to_string(pid) + " has exited (it is a zombie waiting for its parent)";
    }
    return std::nullopt;
}

// --- ProcessSampler ---

ProcessSampler::ProcessSampler(pid_t root, std::chrono::milliseconds interval)
    : root_(root)
    , interval_(std::max(interval, std::chrono::milliseconds(10)))
    , pageSize_(::sysconf(_SC_PAGESIZE))
    , ticksPerSecond_(::sysconf(_SC_CLK_TCK))
{
    if (pageSize_ <= 0) {
        pageSize_ = 4096;
    }
    if (ticksPerSecond_ <= 0) {
        ticksPerSecond_ = 100;
    }
}

ProcessSampler::~ProcessSampler()
{
    stop();
}

bool ProcessSampler::start(std::string* error)
{
    if (started_) {
        return true;
    }
    if (auto problem = checkProcess(root_)) {
        *error = *problem;
        return false;
    }
    if (!sampleOnce(error)) {
        return false;
    }
    started_ = true;
    stopping_ = false;
    thread_ = std::thread([this] { loop(); });
    return true;
}

void ProcessSampler::stop()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void ProcessSampler::loop()
{
    auto next = Clock::now() + interval_;
    while (true) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_until(lock, next, [this] { return stopping_; })) {
                return;
            }
        }
        if (!sampleOnce(nullptr)) {
            return; // the tree is gone
        }
        next += interval_;
        const auto now = Clock::now();
        if (next < now) {
            next = now + interval_; // fell behind (a suspended machine): skip, do not burst
        }
    }
}

bool ProcessSampler::sampleOnce(std::string* error)
{
    if (rootGone_) {
        return false;
    }
    const auto processes = allProcesses();
    std::unordered_map<pid_t, std::vector<size_t>> childrenOf;
    const ProcStat* rootStat = nullptr;
    for (size_t i = 0; i < processes.size(); ++i) {
        childrenOf[processes[i].ppid].push_back(i);
        if (processes[i].pid == root_) {
            rootStat = &processes[i];
        }
    }
    if (!rootStat || rootStat->state == 'Z' || rootStat->state == 'X') {
        rootGone_ = true;
        if (error) {
            *error = "no process with pid " + std::to_string(root_);
        }
        return false;
    }
    std::vector<const ProcStat*> tree{rootStat};
    for (size_t i = 0; i < tree.size(); ++i) {
        const auto children = childrenOf.find(tree[i]->pid);
        if (children != childrenOf.end()) {
            for (const size_t child : children->second) {
                tree.push_back(&processes[child]);
            }
        }
    }
    const bool first = !sampledBefore_;
    sampledBefore_ = true;
    decltype(lastTicks_) seen;
    Point point;
    point.at = Clock::now();
    for (const ProcStat* process : tree) {
        const auto key = std::make_pair(process->pid, process->startTime);
        const auto last = lastTicks_.find(key);
        if (last != lastTicks_.end()) {
            totalTicks_ += process->cpuTicks > last->second ? process->cpuTicks - last->second : 0;
        } else if (!first) {
            totalTicks_ += process->cpuTicks; // born since the last sample: all of its time is ours
        }
        seen[key] = std::max(process->cpuTicks, last != lastTicks_.end() ? last->second : 0);
        point.rssBytes += residentPages(process->pid) * uint64_t(pageSize_);
    }
    // Processes that left the tree keep what they added to the total; their entries go.
    lastTicks_ = std::move(seen);
    point.cpuMicros = totalTicks_ * 1000000 / uint64_t(ticksPerSecond_);
    point.processes = int(tree.size());
    std::lock_guard lock(mutex_);
    points_.push_back(point);
    return true;
}

void ProcessSampler::markMeasureStart(std::chrono::steady_clock::time_point at)
{
    std::lock_guard lock(mutex_);
    measureStart_ = at;
}

void ProcessSampler::noteProgress(bool warmingUp, double measuredSeconds)
{
    if (warmingUp || progressMarked_.load(std::memory_order_relaxed)) {
        return; // the common case, several times a second: no lock
    }
    std::lock_guard lock(mutex_);
    if (!progressMarked_.exchange(true)) {
        measureStart_ = Clock::now() - std::chrono::duration_cast<Clock::duration>(
                                           std::chrono::duration<double>(std::max(0.0, measuredSeconds)));
    }
}

int ProcessSampler::maxDescendants() const
{
    std::lock_guard lock(mutex_);
    int most = 0;
    for (const auto& point : points_) {
        most = std::max(most, point.processes - 1);
    }
    return most;
}

metrics::ServerStats ProcessSampler::finish(uint64_t finishedRequests, double measuredSeconds)
{
    stop();
    metrics::ServerStats stats;
    if (!started_) {
        return stats;
    }
    sampleOnce(nullptr); // the end of the window, unless the process is gone
    const int descendants = maxDescendants();
    std::lock_guard lock(mutex_);
    if (points_.empty()) {
        return stats;
    }
    const auto t0 = measureStart_.value_or(points_.front().at);
    // The CPU total at t0, between the samples around it.
    double baseline = double(points_.front().cpuMicros);
    for (size_t i = 0; i < points_.size(); ++i) {
        if (points_[i].at >= t0) {
            if (i > 0) {
                const auto& a = points_[i - 1];
                const auto& b = points_[i];
                const double span = std::chrono::duration<double>(b.at - a.at).count();
                const double part = span > 0 ? std::chrono::duration<double>(t0 - a.at).count() / span : 1.0;
                baseline = double(a.cpuMicros) + part * (double(b.cpuMicros) - double(a.cpuMicros));
            }
            break;
        }
        baseline = double(points_[i].cpuMicros);
    }
    std::vector<Point> window;
    if (points_.front().at < t0) {
        // t = 0: the baseline, with the memory the last sample before it saw.
        const auto before = std::find_if(points_.rbegin(), points_.rend(), [&](const Point& p) { return p.at < t0; });
        window.push_back({t0, before->rssBytes, uint64_t(baseline + 0.5), before->processes});
    }
    std::copy_if(points_.begin(), points_.end(), std::back_inserter(window), [&](const Point& p) { return p.at >= t0; });
    const double used = std::max(0.0, double(window.back().cpuMicros) - baseline);
    double seconds = std::chrono::duration<double>(window.back().at - t0).count();
    if (seconds < 0.001) {
        seconds = measuredSeconds;
    }
    double rssSum = 0;
    uint64_t peak = 0;
    for (const auto& point : window) {
        metrics::ServerSample sample;
        sample.t = std::max(0.0, std::chrono::duration<double>(point.at - t0).count());
        sample.rssBytes = point.rssBytes;
        sample.cpuMicros = uint64_t(std::max(0.0, double(point.cpuMicros) - baseline) + 0.5);
        stats.samples.push_back(sample);
        rssSum += double(point.rssBytes);
        peak = std::max(peak, point.rssBytes);
    }
    stats.measured = true;
    stats.peakRssMb = double(peak) / kBytesPerMb;
    stats.meanRssMb = rssSum / double(window.size()) / kBytesPerMb;
    stats.cpuPercent = seconds > 0 ? 100.0 * used / (seconds * 1e6) : 0.0;
    stats.cpuMicrosPerRequest = finishedRequests ? used / double(finishedRequests) : 0.0;
    stats.source = "pid " + std::to_string(root_);
    if (descendants > 0) {
        stats.source += " and " + std::to_string(descendants) + (descendants == 1 ? " child" : " children");
    }
    if (rootGone_) {
        stats.source += ", which exited before the end";
    }
    return stats;
}

// --- LaunchedServer ---

std::unique_ptr<LaunchedServer> LaunchedServer::launch(const std::string& command, std::chrono::milliseconds settle,
                                                       std::string* error, const std::string& readyUrl)
{
    if (command.find_first_not_of(" \t\r\n") == std::string::npos) {
        *error = "the server command is empty";
        return nullptr;
    }
    const char* tmp = std::getenv("TMPDIR");
    std::string logTemplate = std::string(tmp && *tmp ? tmp : "/tmp") + "/benchdeck-server-XXXXXX.log";
    const int logFd = ::mkostemps(logTemplate.data(), 4, O_CLOEXEC);
    if (logFd < 0) {
        *error = "cannot create a log file for the server in '" + std::string(tmp && *tmp ? tmp : "/tmp") +
                 "': " + std::strerror(errno);
        return nullptr;
    }
    const int nullFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (nullFd < 0) {
        *error = std::string("cannot open /dev/null: ") + std::strerror(errno);
        ::close(logFd);
        return nullptr;
    }
    std::unique_ptr<LaunchedServer> server(new LaunchedServer());
    server->command_ = command;
    server->logPath_ = logTemplate;

    const pid_t parent = ::getpid();
    const char* shellCommand = command.c_str();
    const pid_t pid = ::fork();
    if (pid == 0) {
        // The child: async-signal-safe calls only until exec.
        ::setpgid(0, 0);
        // If Benchdeck dies without stopping it, the shell (or the server it became) hears of it.
        // The signal follows the forking thread, so launch() belongs on a thread that outlives the run.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) {
            ::_exit(126);
        }
        ::dup2(nullFd, STDIN_FILENO);
        ::dup2(logFd, STDOUT_FILENO);
        ::dup2(logFd, STDERR_FILENO);
        struct sigaction defaults {};
        defaults.sa_handler = SIG_DFL;
        for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD}) {
            ::sigaction(signal, &defaults, nullptr);
        }
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::execl("/bin/sh", "sh", "-c", shellCommand, static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const int forkErrno = errno;
    ::close(nullFd);
    ::close(logFd);
    if (pid < 0) {
        *error = std::string("cannot start the server command: ") + std::strerror(forkErrno);
        return nullptr;
    }
    ::setpgid(pid, pid); // also here, so the group exists before anyone signals it
    server->pid_ = pid;
    const auto launchedAt = Clock::now();

    const auto deadline = Clock::now() + settle;
    std::string status;
    while (true) {
        if (server->hasExited(&status)) {
            const std::string tail = server->logTail();
            *error = "the server command " + status + " before the run" +
                     (tail.empty() ? " (it printed nothing; log " + server->logPath_ + ")"
                                   : "; the end of its log (" + server->logPath_ + "):\n" + tail);
            return nullptr; // the destructor still stops anything it left behind in its group
        }
        if (!readyUrl.empty() && answersHttp(readyUrl)) {
            server->coldStart_ = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - launchedAt);
            break;
        }
        if (Clock::now() >= deadline) {
            if (!readyUrl.empty()) {
                const std::string tail = server->logTail();
                *error = "the server command did not answer GET " + readyUrl + " within " +
                         std::to_string(settle.count()) + " ms" +
                         (tail.empty() ? std::string() : "; the end of its log (" + server->logPath_ + "):\n" + tail);
                return nullptr;
            }
            break;
        }
        std::this_thread::sleep_for(std::min<Clock::duration>(std::chrono::milliseconds(20), deadline - Clock::now()));
    }
    return server;
}

LaunchedServer::~LaunchedServer()
{
    stop();
}

bool LaunchedServer::hasExited(std::string* status)
{
    if (!reaped_ && pid_ > 0) {
        int raw = 0;
        pid_t r;
        do {
            r = ::waitpid(pid_, &raw, WNOHANG);
        } while (r < 0 && errno == EINTR);
        if (r == pid_) {
            reaped_ = true;
            waitStatus_ = raw;
        } else if (r < 0 && errno == ECHILD) {
            reaped_ = true; // someone else reaped it
        }
    }
    if (reaped_ && status) {
        *status = describeStatus(waitStatus_);
    }
    return reaped_;
}

bool LaunchedServer::stop()
{
    if (pid_ <= 0) {
        return true;
    }
    hasExited();
    if (!groupAlive(pid_)) {
        return true;
    }
    ::kill(-pid_, SIGTERM);
    const auto deadline = Clock::now() + std::chrono::seconds(3);
    while (Clock::now() < deadline) {
        hasExited();
        if (!groupAlive(pid_)) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(-pid_, SIGKILL);
    while (!reaped_) {
        int raw = 0;
        const pid_t r = ::waitpid(pid_, &raw, 0);
        if (r == pid_ || (r < 0 && errno != EINTR)) {
            reaped_ = true;
            waitStatus_ = raw;
        }
    }
    return false;
}

std::string LaunchedServer::logTail(int lines) const
{
    std::ifstream file(logPath_, std::ios::binary);
    if (!file) {
        return {};
    }
    file.seekg(0, std::ios::end);
    const auto size = std::streamoff(file.tellg());
    const std::streamoff from = std::max<std::streamoff>(0, size - 8192);
    file.seekg(from);
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::deque<std::string> kept;
    std::istringstream stream(text);
    std::string line;
    bool firstLine = from > 0; // a partial line when the read began mid-file
    while (std::getline(stream, line)) {
        if (firstLine) {
            firstLine = false;
            continue;
        }
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.pop_back();
        }
        kept.push_back(line);
        if (int(kept.size()) > lines) {
            kept.pop_front();
        }
    }
    while (!kept.empty() && kept.back().empty()) {
        kept.pop_back();
    }
    std::string out;
    for (const auto& l : kept) {
        out += (out.empty() ? "  " : "\n  ") + l;
    }
    return out;
}

} // namespace benchdeck::server
