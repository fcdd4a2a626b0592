// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace benchdeck::ui {

// Figures as people read them, in every view alike.
inline QString formatLatency(double micros)
{
    if (micros <= 0) {
        return QStringLiteral("–");
    }
    if (micros >= 1e6) {
        return QStringLiteral("%1 s").arg(micros / 1e6, 0, 'f', 2);
    }
    if (micros >= 1e3) {
        return QStringLiteral("%1 ms").arg(micros / 1e3, 0, 'f', micros >= 1e5 ? 0 : 2);
    }
    return QStringLiteral("%1 µs").arg(micros, 0, 'f', 0);
}

inline QString formatRate(double perSecond)
{
    return QStringLiteral("%L1").arg(perSecond, 0, 'f', 0);
}

inline QString formatPercent(double percent)
{
    return QStringLiteral("%1%").arg(percent, 0, 'f', percent < 10 ? 2 : 1);
}

} // namespace benchdeck::ui
