// SPDX-License-Identifier: Apache-2.0
#pragma once

// Writing a comparison report from a session, the one way `benchdeck-cli report` and the app's
// File ▸ Export both do it.
#include "report_files.h"

#include <functional>
#include <optional>

namespace benchdeck::comparison {

// Lays out the PDF from the sources in `folder` (writePdfSources) into `out`. The app does it in
// process (writePdf); the CLI, which has no GUI module, through the benchdeck-pdf tool.
using PdfLayout = std::function<bool(const QString& folder, const QString& out, std::string* error)>;

struct ExportOptions {
    bool replace = false; // an existing ordinary file may be replaced (never a session, never an input)
    PdfLayout pdfLayout;
    std::string outputName = "-o"; // how refusals name the destination: the CLI's flag, or "Export"
};

struct ExportError {
    std::string message;
    bool refused = false; // the destination or the request was refused, and nothing was written
};

// Checks the output path, builds the report (comparison_report.h) and writes it. A PDF is laid out
// beside the destination and renamed into place, so a failed layout never costs the file that was
// there. The report on success; nothing, with a one-line reason, otherwise.
std::optional<ComparisonReport> exportReport(const store::SessionFile& session, const ReportRequest& request,
                                             ReportFormat format, const QString& out, const ExportOptions& options,
                                             ExportError* error);

} // namespace benchdeck::comparison
