// SPDX-License-Identifier: Apache-2.0
// benchdeck-pdf: lays out a report prepared by benchdeck-cli (report.html with its SVG charts in one
// folder) as a PDF. A separate program so that benchdeck-cli itself never links Qt's GUI module.
//   benchdeck-pdf FOLDER OUT.pdf
#include "comparison/pdf_layout.h"

#include <QGuiApplication>

#include <cstdio>

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen"); // a PDF needs fonts, not a screen
    }
    QGuiApplication app(argc, argv);
    const QStringList arguments = QGuiApplication::arguments();
    if (arguments.size() != 3) {
        std::fputs("usage: benchdeck-pdf FOLDER OUT.pdf\n", stderr);
        return 2;
    }
    std::string error;
    if (!benchdeck::comparison::writePdf(arguments[1], arguments[2], &error)) {
        std::fprintf(stderr, "benchdeck-pdf: %s\n", error.c_str());
        return 1;
    }
    return 0;
}
