// SPDX-License-Identifier: Apache-2.0
#include "scenario_import.h"

#include "engine/scenario_plan.h"
#include "plan/scenario_file.h"

#include <QFileInfo>

namespace benchdeck::workflow {

std::optional<ImportedTarget> importTarget(const QString& path, const importers::ImportOptions& options,
                                           int64_t candidateId, std::string* error)
{
    const auto format = importers::detectFormat(path, error);
    if (!format) {
        return std::nullopt;
    }
    ImportedTarget imported;
    imported.format = *format;
    std::shared_ptr<const engine::ScenarioPlan> plan;
    const std::string file = path.toStdString();
    if (*format == importers::ImportFormat::Scenario) {
        plan = plan::loadScenarioPlan(file, {}, error); // its CSV files are read from beside it
    } else {
        auto result = importers::importFile(path, *format, options, error);
        if (!result) {
            return std::nullopt;
        }
        imported.skipped = std::move(result->skipped);
        plan = engine::makeScenarioPlan(std::move(result->workload), file, {}, {}, error);
    }
    if (!plan) {
        return std::nullopt;
    }
    imported.target.candidateId = candidateId;
    imported.target.name = QFileInfo(path).completeBaseName().toStdString();
    imported.target.request.url = plan->origin;
    imported.target.request.scenario = std::move(plan);
    return imported;
}

} // namespace benchdeck::workflow
