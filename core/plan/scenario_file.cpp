// SPDX-License-Identifier: Apache-2.0
#include "scenario_file.h"

#include "scenario_codec.h"

#include "scenario/csv_data.h"
#include "scenario/request_template.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <algorithm>

namespace benchdeck::plan {

std::shared_ptr<const engine::ScenarioPlan> loadScenarioPlan(const std::string& file, const ScenarioOverrides& overrides,
                                                             std::string* error)
{
    const auto& dataFiles = overrides.dataFiles;
    QFile input(QString::fromStdString(file));
    if (!QFileInfo(input).isFile() || !input.open(QIODevice::ReadOnly)) {
        *error = "cannot read the scenario file '" + file + "': " +
                 (QFileInfo::exists(input.fileName()) ? input.errorString().toStdString() : "no such file");
        return nullptr;
    }
    std::string why;
    auto workload = parseScenarioText(input.readAll(), &why);
    if (!workload) {
        *error = file + ": " + why;
        return nullptr;
    }
    for (const auto& [name, path] : dataFiles) {
        const bool known = std::any_of(workload->feeders.begin(), workload->feeders.end(),
                                       [&](const auto& feeder) { return feeder.name == name; });
        if (!known) {
            *error = "--data " + name + "=" + path + ": " + file + " has no data feeder named \"" + name + "\"";
            return nullptr;
        }
    }
    for (const auto& [name, value] : overrides.variables) {
        if (!scenario::isVariableName(name)) {
            *error = "--var " + name + "=...: not a variable name (letters, digits, _ . -; not a digit first)";
            return nullptr;
        }
        auto& constants = workload->variables;
        const auto existing = std::find_if(constants.begin(), constants.end(),
                                           [&](const auto& constant) { return constant.first == name; });
        if (existing != constants.end()) {
            existing->second = value;
        } else {
            constants.emplace_back(name, value);
        }
    }
    const QDir folder = QFileInfo(input).absoluteDir();
    std::vector<std::string> paths;
    std::vector<scenario::CsvTable> tables;
    for (const auto& feeder : workload->feeders) {
        const auto given = std::find_if(dataFiles.begin(), dataFiles.end(),
                                        [&](const auto& entry) { return entry.first == feeder.name; });
        const std::string path = given != dataFiles.end()
                                     ? given->second
                                     : QDir::cleanPath(folder.filePath(QString::fromStdString(feeder.file))).toStdString();
        auto table = scenario::loadCsvFile(path, &why);
        if (!table) {
            *error = "data feeder \"" + feeder.name + "\": " + why;
            return nullptr;
        }
        paths.push_back(path);
        tables.push_back(std::move(*table));
    }
    auto plan = engine::makeScenarioPlan(std::move(*workload), file, std::move(paths), std::move(tables), &why);
    if (!plan) {
        *error = file + ": " + why;
    }
    return plan;
}

std::shared_ptr<const engine::ScenarioPlan> reloadScenarioData(const engine::ScenarioPlan& stored, std::string* error)
{
    if (stored.program) {
        return std::make_shared<const engine::ScenarioPlan>(stored);
    }
    std::vector<scenario::CsvTable> tables;
    for (size_t i = 0; i < stored.dataFiles.size(); ++i) {
        std::string why;
        auto table = scenario::loadCsvFile(stored.dataFiles[i], &why);
        if (!table) {
            *error = "data feeder \"" + (i < stored.workload.feeders.size() ? stored.workload.feeders[i].name : "?") +
                     "\": " + why;
            return nullptr;
        }
        tables.push_back(std::move(*table));
    }
    return engine::makeScenarioPlan(stored.workload, stored.file, stored.dataFiles, std::move(tables), error);
}

} // namespace benchdeck::plan
