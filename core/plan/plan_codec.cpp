// SPDX-License-Identifier: Apache-2.0
#include "plan_codec.h"

#include "scenario_codec.h"

#include "engine/duration.h"
#include "engine/scenario_plan.h"
#include "engine/engine.h"
#include "engine/target_url.h"
#include "metrics/units.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <algorithm>
#include <cctype>
#include <cmath>

namespace benchdeck::plan {
namespace {

QString str(const std::string& text)
{
    return QString::fromStdString(text);
}

// Reads a field strictly: a stored plan that does not say exactly what ran is refused, never guessed.
class Reader {
public:
    Reader(const QJsonObject& json, std::string* error)
        : json_(json)
        , error_(error)
    {
    }
    bool ok() const { return ok_; }

    std::string text(const char* key, bool required = true)
    {
        const QJsonValue value = json_.value(QLatin1String(key));
        if (value.isUndefined() && !required) {
            return {};
        }
        if (!value.isString()) {
            fail(std::string("'") + key + "' is missing or not text");
            return {};
        }
        return value.toString().toStdString();
    }
    bool flag(const char* key)
    {
        const QJsonValue value = json_.value(QLatin1String(key));
        if (!value.isBool()) {
            fail(std::string("'") + key + "' is missing or not true/false");
            return false;
        }
        return value.toBool();
    }
    double number(const char* key, double min, double max)
    {
        const QJsonValue value = json_.value(QLatin1String(key));
        const double n = value.toDouble(std::nan(""));
        if (!value.isDouble() || !std::isfinite(n) || n < min || n > max) {
            fail(std::string("'") + key + "' is missing or outside " + units::shortest(min) + ".." +
                 units::shortest(max));
            return min;
        }
        return n;
    }
    int64_t integer(const char* key, double min, double max)
    {
        const double n = number(key, min, max);
        if (ok_ && n != std::floor(n)) {
            fail(std::string("'") + key + "' is not a whole number");
        }
        return int64_t(n);
    }
    void fail(std::string why)
    {
        if (ok_ && error_) {
            *error_ = "plan: " + std::move(why);
        }
        ok_ = false;
    }

private:
    const QJsonObject& json_;
    std::string* error_;
    bool ok_ = true;
};

constexpr double kMaxMicros = double(std::chrono::duration_cast<engine::Micros>(engine::kMaxDuration).count());

} // namespace

// A scenario's stored form: its workload (scenario_codec.h), the file it was read from and the data
// files its feeders read; the rows themselves stay in those files.
QJsonObject scenarioToJson(const engine::ScenarioPlan& plan, Secrets secrets, bool* withheld)
{
    scenario::Workload workload = plan.workload;
    if (secrets == Secrets::Withhold) {
        // A credential written into the file as it is ("Authorization: Bearer abc") is left out like
        // a -H one; one that comes from a template ({{token}}) holds no secret and stays.
        for (auto& s : workload.scenarios) {
            for (auto& step : s.steps) {
                for (auto& header : step.headers) {
                    if (isCredentialHeader(header.name) && header.value.find("{{") == std::string::npos) {
                        header.value = "{{withheld}}";
                        *withheld = true;
                    }
                }
            }
        }
    }
    QJsonArray dataFiles;
    for (const auto& file : plan.dataFiles) {
        dataFiles.append(str(file));
    }
    return QJsonObject{{QStringLiteral("file"), str(plan.file)},
                       {QStringLiteral("data_files"), dataFiles},
                       {QStringLiteral("origin"), str(plan.origin)},
                       {QStringLiteral("workload"), toJson(workload)}};
}

std::shared_ptr<const engine::ScenarioPlan> scenarioFromJson(const QJsonValue& value, std::string* error)
{
    const QJsonObject json = value.toObject();
    const QJsonValue dataFiles = json.value(QStringLiteral("data_files"));
    if (!value.isObject() || !json.value(QStringLiteral("file")).isString() || !dataFiles.isArray() ||
        !json.value(QStringLiteral("origin")).isString()) {
        *error = "plan: 'scenario' must hold its file, data_files, origin and workload";
        return nullptr;
    }
    std::string why;
    auto workload = workloadFromJson(json.value(QStringLiteral("workload")).toObject(), &why);
    if (!workload) {
        *error = "plan: scenario: " + why;
        return nullptr;
    }
    std::vector<std::string> files;
    for (const auto& file : dataFiles.toArray()) {
        files.push_back(file.toString().toStdString());
    }
    if (files.size() != workload->feeders.size()) {
        *error = "plan: scenario: one data file per feeder expected";
        return nullptr;
    }
    return engine::storedScenarioPlan(std::move(*workload), json.value(QStringLiteral("file")).toString().toStdString(),
                                      std::move(files), json.value(QStringLiteral("origin")).toString().toStdString());
}

bool isCredentialHeader(std::string_view name)
{
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    static constexpr std::string_view kExact[] = {"authorization", "proxy-authorization", "cookie", "set-cookie"};
    static constexpr std::string_view kParts[] = {"token",  "secret",  "password", "passwd", "api-key",
                                                  "apikey", "api_key", "session",  "auth"};
    if (std::find(std::begin(kExact), std::end(kExact), lower) != std::end(kExact)) {
        return true;
    }
    return std::any_of(std::begin(kParts), std::end(kParts),
                       [&](std::string_view part) { return lower.find(part) != std::string::npos; });
}

QJsonObject toJson(const engine::RunConfig& config, Secrets secrets, bool* secretsWithheld)
{
    bool withheld = false;
    QJsonArray headers;
    for (const auto& header : config.headers) {
        QJsonObject entry{{QStringLiteral("name"), str(header.name)}};
        if (header.withheld || (secrets == Secrets::Withhold && isCredentialHeader(header.name))) {
            entry.insert(QStringLiteral("withheld"), true);
            withheld = true;
        } else {
            entry.insert(QStringLiteral("value"), str(header.value));
        }
        headers.append(entry);
    }
    std::string url = config.url;
    if (secrets == Secrets::Withhold) {
        url = engine::maskUrlCredentials(config.url);
        withheld = withheld || url != config.url;
    }
    if (secretsWithheld) {
        *secretsWithheld = withheld;
    }
    QJsonArray stages;
    for (const auto& stage : config.stages) {
        stages.append(QJsonObject{{QStringLiteral("duration_us"), double(stage.duration.count())},
                                  {QStringLiteral("target"), stage.target}});
    }
    QJsonObject json{
        {QStringLiteral("plan_format"), kPlanFormat},
        {QStringLiteral("url"), str(url)},
        {QStringLiteral("method"), str(config.method)},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("http_version"), config.httpVersion == engine::HttpVersion::Http2 ? "2" : "1.1"},
        {QStringLiteral("insecure"), config.insecure},
        {QStringLiteral("follow_redirects"), config.followRedirects},
        {QStringLiteral("max_redirects"), config.maxRedirects},
        {QStringLiteral("model"), engine::isOpenModel(config) ? QStringLiteral("open") : QStringLiteral("closed")},
        {QStringLiteral("connections"), config.connections},
        {QStringLiteral("rate"), config.rate},
        {QStringLiteral("stages"), stages},
        {QStringLiteral("threads"), engine::effectiveThreads(config)},
        {QStringLiteral("duration_us"), double(config.duration.count())},
        {QStringLiteral("requests"), double(config.requests)},
        {QStringLiteral("warmup_us"), double(config.warmup.count())},
        {QStringLiteral("request_timeout_us"), double(config.requestTimeout.count())},
        {QStringLiteral("connect_timeout_us"), double(config.connectTimeout.count())},
        {QStringLiteral("engine"), str(std::string(engine::engineKindName(engine::chooseEngine(config))))},
    };
    if (config.streams != 1) { // absent when 1, so plans from before streams encode alike
        json.insert(QStringLiteral("streams"), config.streams);
    }
    if (!config.caCertFile.empty()) { // absent rather than empty, so plans from before it encode alike
        json.insert(QStringLiteral("cacert"), str(config.caCertFile));
    }
    if (config.scenario) { // absent for single-URL runs, so plans from before scenarios encode alike
        bool scenarioWithheld = false;
        json.insert(QStringLiteral("scenario"), scenarioToJson(*config.scenario, secrets, &scenarioWithheld));
        if (secretsWithheld) {
            *secretsWithheld = *secretsWithheld || scenarioWithheld;
        }
    }
    if (!config.thresholds.empty()) { // absent rather than empty, so plans from before them encode alike
        QJsonArray thresholds;
        for (const auto& expression : config.thresholds) {
            thresholds.append(str(expression));
        }
        json.insert(QStringLiteral("thresholds"), thresholds);
    }
    const QString body = QString::fromStdString(config.body);
    if (body.toStdString() == config.body) {
        json.insert(QStringLiteral("body"), body);
    } else { // not UTF-8: kept byte for byte
        json.insert(QStringLiteral("body_base64"),
                    QString::fromLatin1(QByteArray::fromStdString(config.body).toBase64()));
    }
    return json;
}

bool isRecorded(const QJsonObject& json)
{
    const int format = json.value(QStringLiteral("plan_format")).toInt();
    return format >= 2 && format <= kPlanFormat;
}

std::optional<engine::RunConfig> fromJson(const QJsonObject& json, std::string* error)
{
    if (!isRecorded(json)) {
        if (error) {
            *error = json.value(QStringLiteral("plan_format")).toInt() > kPlanFormat
                         ? "plan: written by a newer Benchdeck"
                         : "plan not recorded (a schema-1 session kept no rate, stages or model)";
        }
        return std::nullopt;
    }
    Reader read(json, error);
    engine::RunConfig config;
    config.url = read.text("url");
    config.method = read.text("method");
    const QJsonValue headers = json.value(QStringLiteral("headers"));
    if (!headers.isArray()) {
        read.fail("'headers' is missing or not a list");
    }
    for (const auto& value : headers.toArray()) {
        const QJsonObject entry = value.toObject();
        Reader field(entry, error);
        engine::Header header;
        header.name = field.text("name");
        header.withheld = entry.value(QStringLiteral("withheld")).toBool();
        if (!header.withheld) {
            header.value = field.text("value");
        }
        if (!field.ok()) {
            return std::nullopt;
        }
        config.headers.push_back(std::move(header));
    }
    if (json.contains(QStringLiteral("body_base64"))) {
        config.body = QByteArray::fromBase64(read.text("body_base64").c_str()).toStdString();
    } else {
        config.body = read.text("body");
    }
    const std::string version = read.text("http_version");
    if (version != "1.1" && version != "2") {
        read.fail("'http_version' is neither 1.1 nor 2");
    }
    config.httpVersion = version == "2" ? engine::HttpVersion::Http2 : engine::HttpVersion::Http1;
    config.insecure = read.flag("insecure");
    if (json.contains(QStringLiteral("streams"))) {
        config.streams = int(read.integer("streams", 1, engine::kMaxStreams));
    }
    if (json.contains(QStringLiteral("cacert"))) {
        config.caCertFile = read.text("cacert");
    }
    config.followRedirects = read.flag("follow_redirects");
    config.maxRedirects = int(read.integer("max_redirects", 0, 100));
    const std::string model = read.text("model");
    if (model != "open" && model != "closed") {
        read.fail("'model' is neither open nor closed");
    }
    config.openModel = model == "open";
    config.connections = int(read.integer("connections", 1, engine::kMaxConnections));
    config.rate = read.number("rate", 0, engine::kMaxLevel);
    const QJsonValue stages = json.value(QStringLiteral("stages"));
    if (!stages.isArray() || size_t(stages.toArray().size()) > engine::kMaxStages) {
        read.fail("'stages' is missing, not a list, or longer than 1000");
    }
    for (const auto& value : stages.toArray()) {
        const QJsonObject entry = value.toObject();
        Reader field(entry, error);
        engine::Stage stage{engine::Micros(field.integer("duration_us", 1, kMaxMicros)),
                            field.number("target", 0, engine::kMaxLevel)};
        if (!field.ok()) {
            return std::nullopt;
        }
        config.stages.push_back(stage);
    }
    const QJsonValue thresholds = json.value(QStringLiteral("thresholds"));
    if (!thresholds.isUndefined()) {
        if (!thresholds.isArray() || size_t(thresholds.toArray().size()) > engine::kMaxThresholds) {
            read.fail("'thresholds' must be a list of at most " + std::to_string(engine::kMaxThresholds) +
                      " expressions");
            return std::nullopt;
        }
        for (const auto& value : thresholds.toArray()) {
            if (!value.isString() || value.toString().isEmpty() || value.toString().size() > 200) {
                read.fail("'thresholds' holds something that is not an expression");
                return std::nullopt;
            }
            config.thresholds.push_back(value.toString().toStdString());
        }
    }
    config.threads = int(read.integer("threads", 1, engine::kMaxThreads));
    config.duration = engine::Micros(read.integer("duration_us", 0, kMaxMicros));
    config.requests = uint64_t(read.integer("requests", 0, double(engine::kMaxRequests)));
    config.warmup = engine::Micros(read.integer("warmup_us", 0, kMaxMicros));
    config.requestTimeout = engine::Micros(read.integer("request_timeout_us", 1, kMaxMicros));
    config.connectTimeout = engine::Micros(read.integer("connect_timeout_us", 1, kMaxMicros));
    const std::string engineName = read.text("engine");
    bool knownEngine = false;
    for (const auto kind : {engine::EngineKind::Auto, engine::EngineKind::FastHttp1, engine::EngineKind::FastHttp2,
                            engine::EngineKind::Curl}) {
        if (engine::engineKindName(kind) == engineName) {
            config.engine = kind;
            knownEngine = true;
        }
    }
    if (!knownEngine) {
        read.fail("'engine' names no request path of this Benchdeck");
    }
    if (json.contains(QStringLiteral("scenario"))) {
        config.scenario = scenarioFromJson(json.value(QStringLiteral("scenario")), error);
        if (!config.scenario) {
            return std::nullopt;
        }
    }
    if (!read.ok()) {
        return std::nullopt;
    }
    if (config.openModel && config.rate <= 0 && config.stages.empty()) {
        read.fail("an open-model plan without a rate or stages");
        return std::nullopt;
    }
    if (auto problem = engine::validate(config)) {
        // h2c with an old libcurl was refused before the run, so it cannot have been stored; anything
        // else that fails here was never a plan Benchdeck ran.
        read.fail(*problem);
        return std::nullopt;
    }
    return config;
}

std::string loadShapeKey(const QJsonObject& json)
{
    if (!isRecorded(json)) {
        return {};
    }
    QJsonObject key;
    for (const char* field : {"model", "connections", "rate", "stages", "threads", "duration_us", "requests",
                              "warmup_us", "method", "http_version"}) {
        key.insert(QLatin1String(field), json.value(QLatin1String(field)));
    }
    // Scenario runs compare when they run the same steps with the same mix; where each candidate's
    // server is (a base-URL constant) belongs to the candidate.
    const QJsonObject workload = json.value(QStringLiteral("scenario")).toObject().value(QStringLiteral("workload")).toObject();
    if (!workload.isEmpty()) {
        QJsonArray steps;
        for (const auto& value : workload.value(QStringLiteral("scenarios")).toArray()) {
            const QJsonObject scenario = value.toObject();
            for (const auto& step : scenario.value(QStringLiteral("steps")).toArray()) {
                steps.append(QJsonArray{scenario.value(QStringLiteral("name")), scenario.value(QStringLiteral("weight")),
                                        step.toObject().value(QStringLiteral("name")),
                                        step.toObject().value(QStringLiteral("method"))});
            }
        }
        key.insert(QStringLiteral("scenario"), steps);
    }
    return QJsonDocument(key).toJson(QJsonDocument::Compact).toStdString();
}

std::string describe(const engine::RunConfig& config)
{
    const bool open = engine::isOpenModel(config);
    const std::string unit = open ? " req/s" : " users";
    std::string text;
    if (!config.stages.empty()) {
        text = open ? "ramp rate " : "ramp users ";
        double level = 0;
        bool first = true;
        for (const auto& stage : config.stages) {
            text += first ? "" : ", ";
            first = false;
            if (stage.target == level) {
                text += "hold " + units::level(level) + " for " + engine::formatDuration(stage.duration);
            } else {
                text += units::level(level) + "→" + units::level(stage.target) + " over " +
                        engine::formatDuration(stage.duration);
            }
            level = stage.target;
        }
        text += open ? " (req/s)" : "";
    } else if (open) {
        text = "open model, " + units::level(config.rate) + unit;
    } else {
        text = "closed model, " + units::grouped(uint64_t(std::max(0, engine::concurrency(config)))) + unit;
    }
    if (config.httpVersion == engine::HttpVersion::Http2 && config.streams > 1) {
        text += " (" + units::grouped(uint64_t(std::max(0, config.connections))) + " connections × " +
                std::to_string(config.streams) + " streams)";
    }
    if (config.stages.empty() && config.duration.count() > 0) {
        text += ", " + engine::formatDuration(config.duration);
    }
    if (config.requests > 0) {
        text += ", " + units::grouped(config.requests) + " requests";
    }
    if (config.warmup.count() > 0) {
        text += ", warm-up " + engine::formatDuration(config.warmup);
    }
    if (config.scenario) {
        const std::string& file = config.scenario->file;
        const auto steps = config.scenario->stepCount();
        text += ", scenario " + (file.empty() ? std::string("(unsaved)") : file.substr(file.find_last_of('/') + 1)) +
                " (" + std::to_string(steps) + (steps == 1 ? " step)" : " steps)");
    }
    return text;
}

std::string describe(const QJsonObject& json)
{
    std::string error;
    const auto config = fromJson(json, &error);
    return config ? describe(*config) : "plan not recorded";
}

} // namespace benchdeck::plan
