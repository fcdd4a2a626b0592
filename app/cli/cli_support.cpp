// SPDX-License-Identifier: Apache-2.0
#include "cli_support.h"

#include "engine/duration.h"

#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace benchdeck::cli {
namespace {

std::atomic<bool> g_stopRequested{false};

extern "C" void onInterrupt(int)
{
    g_stopRequested.store(true);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

} // namespace

int usageError(const std::string& message)
{
    std::fprintf(stderr, "benchdeck-cli: %s\n", message.c_str());
    return ExitUsage;
}

bool parseArguments(QCommandLineParser& parser, const QStringList& arguments, const QString& extraHelp)
{
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(arguments)) {
        usageError(parser.errorText().toStdString() + " (see --help)");
        return false;
    }
    if (parser.isSet(help)) {
        // Qt names the executable's path; people type "benchdeck-cli run".
        QString text = parser.helpText();
        const auto usageEnd = text.indexOf(QStringLiteral(" [options]"));
        if (text.startsWith(QStringLiteral("Usage: ")) && usageEnd > 0) {
            text.replace(7, usageEnd - 7, arguments.first());
        }
        std::fputs(qPrintable(text + extraHelp), stdout);
        std::exit(ExitOk);
    }
    return true;
}

std::optional<std::chrono::microseconds> durationOption(const QCommandLineParser& parser, const QString& name,
                                                        std::string* error, bool allowZero)
{
    const auto text = parser.value(name).toStdString();
    std::string why;
    auto value = engine::parseDuration(text, &why, allowZero);
    if (!value && error) {
        *error = "--" + name.toStdString() + ": " + why;
    }
    return value;
}

std::optional<long long> integerOption(const QCommandLineParser& parser, const QString& name, long long minimum,
                                       std::string* error)
{
    bool ok = false;
    const long long value = parser.value(name).toLongLong(&ok);
    if (!ok || value < minimum) {
        if (error) {
            *error = "--" + name.toStdString() + ": '" + parser.value(name).toStdString() +
                     "' is not a whole number of at least " + std::to_string(minimum);
        }
        return std::nullopt;
    }
    return value;
}

const std::atomic<bool>& installStopOnInterrupt()
{
    std::signal(SIGINT, &onInterrupt);
    std::signal(SIGTERM, &onInterrupt);
    return g_stopRequested;
}

bool stderrIsTerminal()
{
    return isatty(STDERR_FILENO) != 0;
}

} // namespace benchdeck::cli
