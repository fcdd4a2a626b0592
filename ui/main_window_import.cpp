// SPDX-License-Identifier: Apache-2.0
// File > Import: a recording or an API description becomes a candidate's scenario target.
#include "main_window.h"

#include "views/session_sidebar.h"
#include "workflow/scenario_import.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QStatusBar>

namespace benchdeck::ui {

int64_t MainWindow::importScenario(const QString& path, int64_t candidateId, QStringList* skipped)
{
    if (!session_) {
        return 0;
    }
    std::string error;
    auto imported = workflow::importTarget(path, {}, candidateId, &error);
    if (!imported) {
        showError(tr("Import"), QString::fromStdString(error));
        return 0;
    }
    QStringList notes;
    for (const auto& line : imported->skipped) {
        notes << QString::fromStdString(line);
    }
    if (skipped) {
        *skipped = notes;
    }
    const int64_t id = addTarget(std::move(imported->target));
    statusBar()->showMessage(tr("Imported %1 as a scenario target; %n item(s) left out.", nullptr, int(notes.size()))
                                 .arg(QFileInfo(path).fileName()));
    return id;
}

void MainWindow::importScenarioDialog()
{
    if (!session_) {
        return;
    }
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import a scenario"), QString(),
        tr("Recordings and API descriptions (*.har *.json *.yaml *.yml);;HAR recordings (*.har);;"
           "OpenAPI documents (*.yaml *.yml *.json);;Postman collections (*.json);;All files (*)"));
    if (path.isEmpty()) {
        return;
    }
    std::string error;
    QStringList names{tr("(no candidate)")};
    std::vector<int64_t> ids{0};
    for (const auto& candidate : session_->candidates(&error)) {
        names << QString::fromStdString(candidate.name);
        ids.push_back(candidate.id);
    }
    bool ok = true;
    const QString chosen = names.size() == 1 ? names.front()
                                             : QInputDialog::getItem(this, tr("Import a scenario"),
                                                                     tr("Add the scenario as a target of:"), names,
                                                                     names.size() > 1 ? 1 : 0, false, &ok);
    if (!ok) {
        return;
    }
    QStringList skipped;
    if (importScenario(path, ids[size_t(names.indexOf(chosen))], &skipped) == 0) {
        return;
    }
    QMessageBox box(QMessageBox::Information, tr("Import"),
                    tr("%1 is now a target that runs its scenario. Edit the target (F2) to look at its steps "
                       "and Try once before a load run.")
                        .arg(QFileInfo(path).fileName()),
                    QMessageBox::Ok, this);
    if (!skipped.isEmpty()) {
        box.setInformativeText(tr("%n item(s) were left out or changed: see the details.", nullptr, int(skipped.size())));
        box.setDetailedText(skipped.join(QLatin1Char('\n')));
    }
    box.exec();
}

} // namespace benchdeck::ui
