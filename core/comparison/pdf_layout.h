// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <string>

namespace benchdeck::comparison {

// Lays out report.html from `folder` (with its SVG charts beside it, see writePdfSources) as an A4
// PDF. Needs a QGuiApplication (the offscreen platform will do).
bool writePdf(const QString& folder, const QString& out, std::string* error);

} // namespace benchdeck::comparison
