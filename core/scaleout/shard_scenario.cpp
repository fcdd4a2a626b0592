// SPDX-License-Identifier: Apache-2.0
#include "shard_scenario.h"

#include "metrics/histogram_codec.h"

#include <QByteArray>
#include <QJsonArray>

namespace benchdeck::scaleout {
namespace {

QString base64(const metrics::LatencyHistogram& histogram)
{
    return QString::fromLatin1(QByteArray::fromStdString(metrics::encodeHistogram(histogram)).toBase64());
}

std::optional<metrics::LatencyHistogram> fromBase64(const QJsonValue& value)
{
    if (!value.isString()) {
        return std::nullopt;
    }
    const QByteArray bytes = QByteArray::fromBase64(value.toString().toLatin1());
    return metrics::decodeHistogram(
        std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(bytes.constData()), size_t(bytes.size())));
}

uint64_t count(const QJsonObject& json, const char* key)
{
    return uint64_t(std::max<qint64>(0, json.value(QLatin1String(key)).toInteger()));
}

} // namespace

QJsonObject scenarioResultToJson(const metrics::RunResult& result)
{
    if (!result.total.scenario) {
        return {};
    }
    const auto& scenario = *result.total.scenario;
    QJsonArray steps;
    for (size_t i = 0; i < scenario.steps.size(); ++i) {
        const auto& step = scenario.steps[i];
        const auto label = i < result.stepLabels.size() ? result.stepLabels[i] : metrics::StepLabel{};
        steps.append(QJsonObject{{QStringLiteral("scenario"), QString::fromStdString(label.scenario)},
                                 {QStringLiteral("step"), QString::fromStdString(label.step)},
                                 {QStringLiteral("requests"), qint64(step.requests)},
                                 {QStringLiteral("errors"), qint64(step.errors)},
                                 {QStringLiteral("transportErrors"), qint64(step.transportErrors)},
                                 {QStringLiteral("checks"), qint64(step.checks)},
                                 {QStringLiteral("checksFailed"), qint64(step.checksFailed)},
                                 {QStringLiteral("failed"), qint64(step.failed)},
                                 {QStringLiteral("notSent"), qint64(step.notSent)},
                                 {QStringLiteral("latency"), base64(step.latency)}});
    }
    const auto problem = scenario.problem();
    return QJsonObject{{QStringLiteral("steps"), steps},
                       {QStringLiteral("iterations"), base64(scenario.iterations)},
                       {QStringLiteral("iterationsStarted"), qint64(scenario.iterationsStarted)},
                       {QStringLiteral("iterationsFailed"), qint64(scenario.iterationsFailed)},
                       {QStringLiteral("firstProblem"), QString::fromUtf8(problem.data(), qsizetype(problem.size()))},
                       {QStringLiteral("stopMessage"), QString::fromStdString(result.stopMessage)}};
}

bool scenarioResultFromJson(const QJsonObject& json, metrics::RunResult& result, std::string* error)
{
    if (json.isEmpty()) {
        return true;
    }
    metrics::ScenarioSlice scenario;
    std::vector<metrics::StepLabel> labels;
    for (const auto& value : json.value(QStringLiteral("steps")).toArray()) {
        const QJsonObject entry = value.toObject();
        auto latency = fromBase64(entry.value(QStringLiteral("latency")));
        if (!latency) {
            *error = "the latency histogram of a step is missing or damaged";
            return false;
        }
        metrics::StepSlice step;
        step.latency = std::move(*latency);
        step.requests = count(entry, "requests");
        step.errors = count(entry, "errors");
        step.transportErrors = count(entry, "transportErrors");
        step.checks = count(entry, "checks");
        step.checksFailed = count(entry, "checksFailed");
        step.failed = count(entry, "failed");
        step.notSent = count(entry, "notSent");
        if (step.latency.count() > step.requests || step.checksFailed > step.checks) {
            *error = "a step's counts disagree with its histogram";
            return false;
        }
        scenario.steps.push_back(std::move(step));
        labels.push_back({entry.value(QStringLiteral("scenario")).toString().toStdString(),
                          entry.value(QStringLiteral("step")).toString().toStdString()});
    }
    auto iterations = fromBase64(json.value(QStringLiteral("iterations")));
    if (scenario.steps.empty() || !iterations) {
        *error = "its scenario figures are missing or damaged";
        return false;
    }
    scenario.iterations = std::move(*iterations);
    scenario.iterationsStarted = count(json, "iterationsStarted");
    scenario.iterationsFailed = count(json, "iterationsFailed");
    scenario.setFirstProblem(json.value(QStringLiteral("firstProblem")).toString().toStdString());
    result.stopMessage = json.value(QStringLiteral("stopMessage")).toString().toStdString();
    result.total.scenario = std::move(scenario);
    result.stepLabels = std::move(labels);
    return true;
}

} // namespace benchdeck::scaleout
