// SPDX-License-Identifier: Apache-2.0
#include "cli_support.h"
#include "commands.h"

#include "engine/duration.h"
#include "target/target_server.h"

#include "metrics/units.h"

#include <arpa/inet.h>
#include <csignal>
#include <cstdio>
#include <ctime>

namespace benchdeck::cli {
namespace {

const QString kTargetHelp = QStringLiteral(R"(
A local HTTP/1.1 server with known behaviour, to check the measurement chain or to stand in for a
backend in demos and tests. It answers every path with {"message":"Hello, World!"} unless told
otherwise, and serves until Ctrl-C (or for --duration).

Examples:
  benchdeck-cli target --port 8080 --delay 20ms
  benchdeck-cli target --port 8081 --delay 5ms --jitter 2ms --error-rate 0.01
  benchdeck-cli target --port 8082 --pause 10s:1s      # a 1 s "GC pause" 10 s after start
  benchdeck-cli target --port 8443 --tls-cert cert.pem --tls-key key.pem   # https
)");

// "N:D" for --stall-every, "T:D" for --pause.
bool splitPair(const QString& text, QString* first, QString* second)
{
    const auto parts = text.split(QLatin1Char(':'));
    if (parts.size() != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
        return false;
    }
    *first = parts[0];
    *second = parts[1];
    return true;
}

std::optional<target::TargetOptions> optionsFrom(const QCommandLineParser& parser, std::string* error)
{
    target::TargetOptions options;
    options.bindAddress = parser.value(QStringLiteral("bind")).toStdString();
    in6_addr scratch{};
    if (::inet_pton(AF_INET, options.bindAddress.c_str(), &scratch) != 1 &&
        ::inet_pton(AF_INET6, options.bindAddress.c_str(), &scratch) != 1) {
        *error = "--bind: '" + options.bindAddress + "' is not an IP address (e.g. 127.0.0.1, 0.0.0.0 or ::1)";
        return std::nullopt;
    }
    const auto port = integerOption(parser, QStringLiteral("port"), 0, error);
    const auto threads = integerOption(parser, QStringLiteral("threads"), 1, error);
    const auto status = integerOption(parser, QStringLiteral("status"), 100, error);
    if (!port || !threads || !status) {
        return std::nullopt;
    }
    if (*port > 65535 || *status > 599 || *threads > 256) {
        *error = "--port must be at most 65535, --status at most 599, --threads at most 256";
        return std::nullopt;
    }
    options.port = uint16_t(*port);
    options.threads = int(*threads);
    options.status = int(*status);
    const auto delay = durationOption(parser, QStringLiteral("delay"), error, true);
    const auto jitter = durationOption(parser, QStringLiteral("jitter"), error, true);
    if (!delay || !jitter) {
        return std::nullopt;
    }
    options.delay = *delay;
    options.jitter = *jitter;
    const auto errorRate = units::parseNumber(parser.value(QStringLiteral("error-rate")).toStdString());
    options.errorRate = errorRate.value_or(-1);
    if (!errorRate || options.errorRate < 0 || options.errorRate > 1) {
        *error = "--error-rate: expected a fraction between 0 and 1, e.g. 0.05";
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("body-size"))) {
        const auto size = integerOption(parser, QStringLiteral("body-size"), 0, error);
        if (!size) {
            return std::nullopt;
        }
        options.bodySize = size_t(*size);
    }
    if (parser.isSet(QStringLiteral("close-every"))) {
        const auto every = integerOption(parser, QStringLiteral("close-every"), 1, error);
        if (!every) {
            return std::nullopt;
        }
        options.closeEvery = uint64_t(*every);
    }
    QString first, second;
    if (parser.isSet(QStringLiteral("stall-every"))) {
        bool numberOk = false;
        if (!splitPair(parser.value(QStringLiteral("stall-every")), &first, &second) ||
            (options.stallEvery = first.toULongLong(&numberOk), !numberOk) || options.stallEvery == 0) {
            *error = "--stall-every: expected N:DURATION, e.g. 100:500ms";
            return std::nullopt;
        }
        std::string why;
        const auto stall = engine::parseDuration(second.toStdString(), &why);
        if (!stall) {
            *error = "--stall-every: " + why;
            return std::nullopt;
        }
        options.stallFor = *stall;
    }
    if (parser.isSet(QStringLiteral("pause"))) {
        if (!splitPair(parser.value(QStringLiteral("pause")), &first, &second)) {
            *error = "--pause: expected AFTER:DURATION, e.g. 10s:1s";
            return std::nullopt;
        }
        std::string why;
        const auto after = engine::parseDuration(first.toStdString(), &why, true);
        const auto length = after ? engine::parseDuration(second.toStdString(), &why) : std::nullopt;
        if (!after || !length) {
            *error = "--pause: " + why;
            return std::nullopt;
        }
        options.pause = target::PauseSpec{*after, *length};
    }
    options.tlsCertFile = parser.value(QStringLiteral("tls-cert")).toStdString();
    options.tlsKeyFile = parser.value(QStringLiteral("tls-key")).toStdString();
    if (options.tlsCertFile.empty() != options.tlsKeyFile.empty()) {
        *error = "--tls-cert and --tls-key go together: https needs both the certificate and its private key";
        return std::nullopt;
    }
    return options;
}

} // namespace

int targetCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Serve a calibration target with known behaviour."));
    const auto option = [&](QStringList names, const QString& description, const QString& valueName = {},
                            const QString& defaultValue = {}) {
        parser.addOption(QCommandLineOption(names, description, valueName, defaultValue));
    };
    option({"port"}, "Port to listen on (0 picks a free one). Default 8080.", "PORT", "8080");
    option({"bind"}, "IP address to listen on. Default 127.0.0.1.", "ADDRESS", "127.0.0.1");
    option({"threads"}, "Event-loop threads. Default 1.", "N", "1");
    option({"delay"}, "Hold every response this long, e.g. 20ms.", "DURATION", "0");
    option({"jitter"}, "Add a uniform random ±jitter to the delay.", "DURATION", "0");
    option({"status"}, "Status code of normal responses. Default 200.", "CODE", "200");
    option({"error-rate"}, "Fraction of requests answered 500, e.g. 0.05.", "FRACTION", "0");
    option({"body-size"}, "Answer with a body of N bytes instead of the JSON greeting.", "N");
    option({"close-every"}, "Close the connection after every Nth response.", "N");
    option({"stall-every"}, "Hold one response in N for an extra DURATION.", "N:DURATION");
    option({"pause"}, "Once, AFTER the start, stop answering for DURATION.", "AFTER:DURATION");
    option({"duration"}, "Stop serving after this long (default: until Ctrl-C).", "DURATION");
    option({"tls-cert"}, "Speak https with this PEM certificate (chain); needs --tls-key.", "FILE");
    option({"tls-key"}, "The PEM private key of --tls-cert.", "FILE");
    if (!parseArguments(parser, arguments, kTargetHelp)) {
        return ExitUsage;
    }
    if (!parser.positionalArguments().isEmpty()) {
        return usageError("target takes no arguments besides options; unexpected '" +
                          parser.positionalArguments().first().toStdString() + "'");
    }
    std::string error;
    auto options = optionsFrom(parser, &error);
    if (!options) {
        return usageError(error);
    }
    std::optional<std::chrono::microseconds> serveFor;
    if (parser.isSet(QStringLiteral("duration"))) {
        serveFor = durationOption(parser, QStringLiteral("duration"), &error);
        if (!serveFor) {
            return usageError(error);
        }
    }

    // Block the stop signals before the server's threads exist so that only sigwait below sees them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGINT);
    sigaddset(&stopSignals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    target::TargetServer server(*options);
    if (!server.start(&error)) {
        std::fprintf(stderr, "benchdeck-cli: %s\n", error.c_str());
        return ExitFailure;
    }
    std::printf("benchdeck target listening on %s://%s:%u/ (%s)\n", options->tlsCertFile.empty() ? "http" : "https",
                options->bindAddress.c_str(), unsigned(server.port()), target::describe(*options).c_str());
    std::fflush(stdout);

    if (serveFor) {
        const auto micros = serveFor->count();
        const timespec timeout{time_t(micros / 1'000'000), long(micros % 1'000'000) * 1000};
        sigtimedwait(&stopSignals, nullptr, &timeout);
    } else {
        int received = 0;
        sigwait(&stopSignals, &received);
    }
    server.stop();
    std::printf("served %llu responses\n", static_cast<unsigned long long>(server.requestsServed()));
    return ExitOk;
}

} // namespace benchdeck::cli
