// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "report_writers.h"

#include <QString>

namespace benchdeck::comparison {

enum class ReportFormat { Html, Pdf, Markdown, Csv, Json };

std::optional<ReportFormat> parseReportFormat(const QString& name); // html, pdf, md, csv, json
QString formatExtension(ReportFormat format);

// Writes html, md (with its chart files beside it), csv or json. PDF needs the GUI module and is
// written by writePdf() in comparison/pdf_layout.h.
bool writeReportFile(const ComparisonReport& report, ReportFormat format, const QString& path, std::string* error);

// The PDF's input: HTML that refers to its charts as files, written into `folder`.
bool writePdfSources(const ComparisonReport& report, const QString& folder, std::string* error);

} // namespace benchdeck::comparison
