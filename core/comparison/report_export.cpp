// SPDX-License-Identifier: Apache-2.0
#include "report_export.h"

#include "store/output_path.h"

#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

namespace benchdeck::comparison {

std::optional<ComparisonReport> exportReport(const store::SessionFile& session, const ReportRequest& request,
                                             ReportFormat format, const QString& out, const ExportOptions& options,
                                             ExportError* failure)
{
    failure->refused = true;
    std::string* error = &failure->message;
    const std::vector<std::string> inputs{session.path()};
    if (auto refused = store::checkOutputPath(out.toStdString(), inputs, options.replace, options.outputName)) {
        *error = *refused;
        return std::nullopt;
    }
    auto report = buildReport(session, request, error);
    if (!report) {
        return std::nullopt;
    }
    failure->refused = false;
    if (format != ReportFormat::Pdf) {
        return writeReportFile(*report, format, out, error) ? std::move(report) : std::nullopt;
    }
    if (!options.pdfLayout) {
        *error = "PDF output is not available here";
        return std::nullopt;
    }
    QTemporaryDir folder;
    if (!folder.isValid() || !writePdfSources(*report, folder.path(), error)) {
        if (error->empty()) {
            *error = "cannot create a temporary folder for the PDF";
        }
        return std::nullopt;
    }
    // Laid out into the temporary folder, copied beside `out` (the folder may be on another file
    // system), then renamed into place.
    const QString laidOut = folder.filePath(QStringLiteral("report.pdf"));
    if (!options.pdfLayout(folder.path(), laidOut, error)) {
        return std::nullopt;
    }
    const QString beside = out + QStringLiteral(".partial");
    QFile::remove(beside);
    if (!QFile::copy(laidOut, beside) ||
        std::rename(QFile::encodeName(beside).constData(), QFile::encodeName(out).constData()) != 0) {
        QFile::remove(beside);
        *error = "cannot write '" + out.toStdString() + "'";
        return std::nullopt;
    }
    return report;
}

} // namespace benchdeck::comparison
