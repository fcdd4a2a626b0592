// SPDX-License-Identifier: Apache-2.0
#include "svg_chart.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>

namespace benchdeck::report {
namespace {

// Okabe-Ito derived: distinguishable for common colour-vision deficiencies, dark enough to read on
// white and to survive printing. Series/bar i uses colour i % 6; series 6..11 are dashed, 12..17
// dotted.
constexpr std::array<const char*, 6> kPalette = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#6a3d9a"};
constexpr std::array<const char*, 3> kDashes = {"", "7 4", "2 3"};

constexpr const char* kTextColour = "#222222";
constexpr const char* kMutedColour = "#555555";
constexpr const char* kAxisColour = "#444444";
constexpr const char* kGridColour = "#e0e0e0";

constexpr double kTitleSize = 15;
constexpr double kAxisTitleSize = 12;
constexpr double kTickSize = 11;
constexpr double kLegendSize = 12;
constexpr double kValueSize = 11;

constexpr size_t kMaxBarLabelChars = 18;
constexpr size_t kMarkerPointLimit = 16; // series with at most this many points get dots at the points
constexpr const char* kEllipsis = "\xE2\x80\xA6";
constexpr const char* kReplacement = "\xEF\xBF\xBD";

// Concatenation by appending: GCC 12 reports false -Wrestrict warnings for `"literal" + std::string&&`.
template <typename... Parts>
std::string cat(const Parts&... parts)
{
    std::string out;
    (out.append(parts), ...);
    return out;
}

// ---- UTF-8 ------------------------------------------------------------------------------------

struct CodePoint {
    char32_t value;
    size_t length; // bytes consumed
    bool valid;
};

CodePoint decodeUtf8(std::string_view text, size_t at)
{
    const auto first = static_cast<unsigned char>(text[at]);
    if (first < 0x80) {
        return {first, 1, true};
    }
    size_t length = 0;
    char32_t value = 0;
    char32_t minimum = 0;
    if ((first & 0xE0) == 0xC0) {
        length = 2;
        value = first & 0x1F;
        minimum = 0x80;
    } else if ((first & 0xF0) == 0xE0) {
        length = 3;
        value = first & 0x0F;
        minimum = 0x800;
    } else if ((first & 0xF8) == 0xF0) {
        length = 4;
        value = first & 0x07;
        minimum = 0x10000;
    } else {
        return {0xFFFD, 1, false};
    }
    if (at + length > text.size()) {
        return {0xFFFD, 1, false};
    }
    for (size_t k = 1; k < length; ++k) {
        const auto next = static_cast<unsigned char>(text[at + k]);
        if ((next & 0xC0) != 0x80) {
            return {0xFFFD, 1, false};
        }
        value = (value << 6) | (next & 0x3F);
    }
    if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
        return {0xFFFD, 1, false};
    }
    return {value, length, true};
}

// Advance width in em, after DejaVu Sans (the usual sans-serif on Linux and the widest common one,
// so Arial, Helvetica and Liberation Sans come out narrower): labels are never clipped.
double charWidthEm(char32_t c)
{
    if (c >= 0x1100) {
        return 1.0; // CJK and other wide scripts
    }
    if (c >= 0x80) {
        return 0.7;
    }
    if (c >= '0' && c <= '9') {
        return 0.64;
    }
    switch (c) {
    case ' ': case '.': case ',': case ':': case ';': case '\'': case '|': case '!': case 'i': case 'j': case 'l':
        return 0.32;
    case '(': case ')': case '[': case ']': case '{': case '}': case '/': case '\\': case '-': case 'f': case 't':
    case 'r': case 'I': case 'J': case '"': case '`':
        return 0.45;
    case 'm': case 'M': case 'W': case '%': case '@':
        return 1.0;
    case 'w': case '&': case '<': case '>': case '=': case '+': case '~': case '#': case '_':
        return 0.84;
    default:
        return c >= 'A' && c <= 'Z' ? 0.78 : 0.64;
    }
}

// Estimated rendered width in px; `scale` 1.1 for bold.
double textWidth(std::string_view text, double fontSize, double scale = 1.0)
{
    double width = 0;
    for (size_t at = 0; at < text.size();) {
        const CodePoint cp = decodeUtf8(text, at);
        width += charWidthEm(cp.value) * fontSize * scale;
        at += cp.length;
    }
    return width;
}

// The first `count` code points of `text`.
std::string_view prefixChars(std::string_view text, size_t count)
{
    size_t at = 0;
    for (size_t n = 0; n < count && at < text.size(); ++n) {
        at += decodeUtf8(text, at).length;
    }
    return text.substr(0, at);
}

size_t charCount(std::string_view text)
{
    size_t count = 0;
    for (size_t at = 0; at < text.size(); ++count) {
        at += decodeUtf8(text, at).length;
    }
    return count;
}

std::string truncateChars(std::string_view text, size_t maxChars)
{
    if (charCount(text) <= maxChars) {
        return std::string(text);
    }
    return cat(prefixChars(text, maxChars > 0 ? maxChars - 1 : 0), kEllipsis);
}

// `text`, shortened with an ellipsis until its estimated width fits `maxWidth`.
std::string fitText(std::string_view text, double maxWidth, double fontSize, double scale = 1.0)
{
    if (textWidth(text, fontSize, scale) <= maxWidth) {
        return std::string(text);
    }
    for (size_t keep = charCount(text); keep-- > 1;) {
        std::string candidate = cat(prefixChars(text, keep), kEllipsis);
        if (textWidth(candidate, fontSize, scale) <= maxWidth) {
            return candidate;
        }
    }
    return kEllipsis;
}

// ---- Numbers (locale-independent: std::to_chars never uses the C locale) ------------------------

std::string fixed(double value, int decimals)
{
    char buffer[400]; // a double printed in full is at most 309 integer digits
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
    return result.ec == std::errc() ? std::string(buffer, result.ptr) : std::string("0");
}

void trimZeros(std::string& text)
{
    if (text.find('.') == std::string::npos) {
        return;
    }
    while (!text.empty() && text.back() == '0') {
        text.pop_back();
    }
    if (!text.empty() && text.back() == '.') {
        text.pop_back();
    }
}

// "12345.6" -> "12,345.6"
std::string groupThousands(const std::string& text)
{
    const size_t digitsBegin = (!text.empty() && text[0] == '-') ? 1 : 0;
    size_t digitsEnd = text.find('.');
    if (digitsEnd == std::string::npos) {
        digitsEnd = text.size();
    }
    std::string out = text.substr(0, digitsBegin);
    for (size_t i = digitsBegin; i < digitsEnd; ++i) {
        out += text[i];
        const size_t remaining = digitsEnd - i - 1;
        if (remaining > 0 && remaining % 3 == 0) {
            out += ',';
        }
    }
    out += text.substr(digitsEnd);
    return out;
}

// SVG coordinate: at most one decimal.
std::string dashAttribute(const char* dash)
{
    return *dash ? cat(" stroke-dasharray=\"", dash, "\"") : std::string();
}

std::string coord(double value)
{
    if (!std::isfinite(value)) {
        value = 0;
    }
    value = std::clamp(value, -1e6, 1e6);
    std::string text = fixed(value, 1);
    trimZeros(text);
    return text == "-0" ? "0" : text;
}

// "1.5e+300": `decimals` digits after the point, trailing zeros dropped.
std::string scientific(double value, int decimals)
{
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific, decimals);
    const std::string text(buffer, result.ptr);
    const size_t exponent = text.find('e');
    std::string mantissa = text.substr(0, exponent);
    trimZeros(mantissa);
    return cat(mantissa, text.substr(exponent));
}

struct Scale {
    double divisor;
    const char* suffix;
};
constexpr std::array<Scale, 4> kScales = {{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}}};

// 3 significant digits with a k/M/G/T suffix, for magnitude >= 1000.
std::string withSuffix(double magnitude)
{
    if (magnitude >= 999.5e12) {
        return scientific(magnitude, 2);
    }
    for (size_t i = 0; i < kScales.size(); ++i) {
        if (magnitude < kScales[i].divisor && i + 1 < kScales.size()) {
            continue;
        }
        double scaled = magnitude / kScales[i].divisor;
        int decimals = scaled < 10 ? 2 : scaled < 100 ? 1 : 0;
        if (scaled >= 999.5 && i > 0) { // rounds to 1000: use the next suffix up
            scaled /= 1000;
            decimals = 2;
            std::string text = fixed(scaled, decimals);
            trimZeros(text);
            return cat(text, kScales[i - 1].suffix);
        }
        std::string text = fixed(scaled, decimals);
        trimZeros(text);
        return cat(text, kScales[i].suffix);
    }
    return fixed(magnitude, 0);
}

// Values printed for people: "0.00123", "12.3", "987", "12,345", "1.23M".
std::string formatValue(double value)
{
    if (!std::isfinite(value)) {
        return "n/a";
    }
    const double magnitude = std::fabs(value);
    const std::string sign = value < 0 ? "-" : "";
    if (magnitude >= 999999.5) {
        return cat(sign, withSuffix(magnitude));
    }
    if (magnitude >= 999.5) {
        return cat(sign, groupThousands(fixed(std::round(magnitude), 0)));
    }
    const int exponent = magnitude > 0 ? static_cast<int>(std::floor(std::log10(magnitude))) : 0;
    std::string text = fixed(magnitude, std::clamp(2 - exponent, 0, 9));
    trimZeros(text);
    if (text == "0") {
        return "0";
    }
    return cat(sign, groupThousands(text));
}

// Shorter form for tight spots: "12.3k" instead of "12,345".
std::string formatCompact(double value)
{
    if (std::isfinite(value) && std::fabs(value) >= 999.5) {
        return cat(value < 0 ? "-" : "", withSuffix(std::fabs(value)));
    }
    return formatValue(value);
}

// ---- Axes -------------------------------------------------------------------------------------

struct Axis {
    double lo = 0;
    double hi = 1;
    std::vector<double> ticks;
    std::vector<std::string> labels;
};

int decimalsFor(double step)
{
    double scaled = step;
    for (int decimals = 0; decimals < 9; ++decimals) {
        if (std::fabs(scaled - std::round(scaled)) < 1e-6 * std::fabs(scaled)) {
            return decimals;
        }
        scaled *= 10;
    }
    return 9;
}

std::string tickLabel(double value, double step, double maxAbs)
{
    if (value == 0) {
        return "0";
    }
    if (maxAbs >= 1e15) { // beyond T: scientific, with enough digits to tell the ticks apart
        const int digits = static_cast<int>(std::floor(std::log10(maxAbs)) - std::floor(std::log10(step)));
        return scientific(value, std::clamp(digits, 0, 6));
    }
    for (const Scale& scale : kScales) {
        const int decimals = decimalsFor(step / scale.divisor);
        if ((maxAbs >= 10 * scale.divisor || (scale.divisor > 1e3 && maxAbs >= scale.divisor)) && decimals <= 2) {
            return cat(groupThousands(fixed(value / scale.divisor, decimals)), scale.suffix);
        }
    }
    return groupThousands(fixed(value, decimalsFor(step)));
}

// Ticks at 1, 2 or 5 x 10^n covering [lo, hi], about `target` intervals.
Axis niceAxis(double lo, double hi, int target)
{
    if (!(hi > lo)) {
        const double pad = lo != 0 ? std::fabs(lo) * 0.1 : 1;
        lo -= lo == 0 ? 0 : pad;
        hi += pad;
    }
    const double raw = (hi - lo) / std::max(1, target);
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double normalised = raw / magnitude;
    const double step = (normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10) * magnitude;

    const double first = std::floor(lo / step + 1e-9);
    const double last = std::max(first + 1, std::ceil(hi / step - 1e-9));
    Axis axis;
    axis.lo = first * step;
    axis.hi = last * step;
    const double maxAbs = std::max(std::fabs(axis.lo), std::fabs(axis.hi));
    for (double k = first; k <= last + 0.5 && axis.ticks.size() < 60; k += 1) {
        const double value = k == 0 ? 0.0 : k * step;
        axis.ticks.push_back(value);
        axis.labels.push_back(tickLabel(value, step, maxAbs));
    }
    return axis;
}

std::string ninesLabel(int nines)
{
    if (nines <= 0) {
        return "0%";
    }
    if (nines == 1) {
        return "90%";
    }
    std::string label = "99";
    if (nines > 2) {
        label += '.';
        label.append(static_cast<size_t>(nines - 2), '9');
    }
    label += '%';
    return label;
}

double maxWidth(const std::vector<std::string>& labels, double fontSize)
{
    double width = 0;
    for (const std::string& label : labels) {
        width = std::max(width, textWidth(label, fontSize));
    }
    return width;
}

// ---- Document ---------------------------------------------------------------------------------

struct Canvas {
    int width;
    int height;
};

Canvas canvasFor(const ChartStyle& style)
{
    return {std::clamp(style.width, 240, 8000), std::clamp(style.height, 160, 8000)};
}

// Text element; when `shown` is a shortened `full`, the full text becomes its tooltip.
void appendText(std::string& out, double x, double y, std::string_view shown, std::string_view full,
                const std::string& attributes)
{
    const bool shortened = shown != full;
    if (shortened) {
        out += cat("<g><title>", escapeXml(full), "</title>");
    }
    out += cat("<text x=\"", coord(x), "\" y=\"", coord(y), "\"", attributes, ">", escapeXml(shown), "</text>");
    if (shortened) {
        out += "</g>";
    }
    out += '\n';
}

void appendText(std::string& out, double x, double y, std::string_view text, const std::string& attributes)
{
    appendText(out, x, y, text, text, attributes);
}

std::string fontAttributes(double size, const char* anchor, const char* fill)
{
    return cat(" font-size=\"", coord(size), "\" text-anchor=\"", anchor, "\" fill=\"", fill, "\"");
}

void appendLine(std::string& out, double x1, double y1, double x2, double y2)
{
    out += cat("<line x1=\"", coord(x1), "\" y1=\"", coord(y1), "\" x2=\"", coord(x2), "\" y2=\"", coord(y2), "\"/>\n");
}

// Opens the document and draws the title; returns the y below the title.
double startDocument(std::string& out, const Canvas& canvas, const std::string& title)
{
    const std::string w = std::to_string(canvas.width);
    const std::string h = std::to_string(canvas.height);
    out += cat("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ", w, " ", h, "\" width=\"", w, "\" height=\"", h,
               "\" role=\"img\" font-family=\"sans-serif\">\n");
    out += cat("<title>", escapeXml(title), "</title>\n");
    out += cat("<rect class=\"background\" x=\"0\" y=\"0\" width=\"", w, "\" height=\"", h, "\" fill=\"#ffffff\"/>\n");
    if (title.empty()) {
        return 10;
    }
    const std::string shown = fitText(title, canvas.width - 24, kTitleSize, 1.1);
    appendText(out, canvas.width / 2.0, 24, shown, title,
               cat(fontAttributes(kTitleSize, "middle", kTextColour), " font-weight=\"bold\""));
    return 34;
}

std::string finishDocument(std::string& out)
{
    out += "</svg>\n";
    return std::move(out);
}

std::string noDataSvg(const Canvas& canvas, const std::string& title)
{
    std::string out;
    const double top = startDocument(out, canvas, title);
    const double middle = (top + canvas.height) / 2.0;
    out += cat("<rect class=\"frame\" x=\"12\" y=\"", coord(top + 6), "\" width=\"", coord(canvas.width - 24),
               "\" height=\"", coord(canvas.height - top - 18), "\" fill=\"none\" stroke=\"", kGridColour,
               "\" stroke-dasharray=\"4 4\"/>\n");
    appendText(out, canvas.width / 2.0, middle + 5, "No data", fontAttributes(14, "middle", kMutedColour));
    return finishDocument(out);
}

// Axis titles: y rotated along the left edge, x centred under the tick labels.
void appendAxisTitles(std::string& out, const Canvas& canvas, double plotLeft, double plotTop, double plotWidth,
                      double plotHeight, const std::string& xTitle, const std::string& yTitle)
{
    if (!yTitle.empty()) {
        const std::string shown = fitText(yTitle, plotHeight, kAxisTitleSize);
        const double middle = plotTop + plotHeight / 2;
        appendText(out, 0, 0, shown, yTitle,
                   cat(fontAttributes(kAxisTitleSize, "middle", kTextColour), " transform=\"translate(22 ",
                       coord(middle), ") rotate(-90)\""));
    }
    if (!xTitle.empty()) {
        const std::string shown = fitText(xTitle, plotWidth, kAxisTitleSize);
        appendText(out, plotLeft + plotWidth / 2, canvas.height - 10, shown, xTitle,
                   fontAttributes(kAxisTitleSize, "middle", kTextColour));
    }
}

// Left margin needed by the y tick labels and the y axis title.
double leftMarginFor(const Axis& yAxis, const std::string& yTitle)
{
    return 10 + (yTitle.empty() ? 0 : 20) + maxWidth(yAxis.labels, kTickSize) + 8;
}

// ---- Line charts ------------------------------------------------------------------------------

enum class XScale { Linear, Nines };

struct LegendItem {
    std::string shown;
    const std::string* full;
    double width;
};

std::string lineSvg(const std::string& title, const std::vector<ChartSeries>& series, const std::string& xTitle,
                    const std::string& yTitle, const ChartStyle& style, XScale xScale)
{
    const Canvas canvas = canvasFor(style);

    std::vector<std::vector<std::pair<double, double>>> points(series.size());
    double minX = 0, maxX = 0, minY = 0, maxY = 0;
    bool any = false;
    for (size_t i = 0; i < series.size(); ++i) {
        for (const auto& [x, y] : series[i].points) {
            if (!std::isfinite(x) || !std::isfinite(y) || (xScale == XScale::Nines && x < 0)) {
                continue;
            }
            points[i].emplace_back(x, y);
            minX = any ? std::min(minX, x) : x;
            maxX = any ? std::max(maxX, x) : x;
            minY = any ? std::min(minY, y) : y;
            maxY = any ? std::max(maxY, y) : y;
            any = true;
        }
    }
    if (!any) {
        return noDataSvg(canvas, title);
    }

    std::string out;
    const double titleBottom = startDocument(out, canvas, title);

    // Legend rows under the title, centred, wrapping when needed.
    constexpr double kSwatch = 22, kSwatchGap = 6, kItemGap = 18, kRowHeight = 18;
    const double legendSpace = canvas.width - 24;
    std::vector<std::vector<LegendItem>> rows(1);
    double rowWidth = 0;
    for (size_t i = 0; i < series.size(); ++i) {
        const std::string& name = series[i].name;
        const std::string shown = fitText(name, std::min(240.0, legendSpace - kSwatch - kSwatchGap), kLegendSize);
        const double width = kSwatch + kSwatchGap + textWidth(shown, kLegendSize);
        if (!rows.back().empty() && rowWidth + kItemGap + width > legendSpace) {
            rows.emplace_back();
            rowWidth = 0;
        }
        rowWidth += (rows.back().empty() ? 0 : kItemGap) + width;
        rows.back().push_back({shown, &name, width});
    }
    const double legendTop = titleBottom + 4;
    const double plotTop = legendTop + static_cast<double>(rows.size()) * kRowHeight + 12;

    const double bottomMargin = xTitle.empty() ? 26 : 44;
    const double plotBottom = canvas.height - bottomMargin;
    const double plotHeight = std::max(20.0, plotBottom - plotTop);

    const Axis yAxis =
        niceAxis(std::min(0.0, minY), std::max(0.0, maxY), std::max(2, static_cast<int>(plotHeight / 45)));
    double left = leftMarginFor(yAxis, yTitle);
    double right = 18;

    Axis xAxis;
    if (xScale == XScale::Linear) {
        xAxis = niceAxis(minX, maxX, std::max(2, static_cast<int>((canvas.width - left - right) / 80)));
    } else {
        const int nines = std::max(1, static_cast<int>(std::ceil(maxX - 1e-9)));
        double widest = 0;
        for (int k = 0; k <= nines; ++k) {
            widest = std::max(widest, textWidth(ninesLabel(k), kTickSize));
        }
        const double available = canvas.width - left - right;
        int stride = 1;
        while (stride < nines && available / nines * stride < widest + 10) {
            ++stride;
        }
        xAxis.lo = 0;
        xAxis.hi = nines;
        for (int k = 0; k <= nines; k += stride) {
            xAxis.ticks.push_back(k);
            xAxis.labels.push_back(ninesLabel(k));
        }
    }
    // First and last x tick labels are centred on the plot edges: keep them inside the canvas.
    left = std::max(left, textWidth(xAxis.labels.front(), kTickSize) / 2 + 6);
    right = std::max(right, textWidth(xAxis.labels.back(), kTickSize) / 2 + 6);
    const double plotLeft = left;
    const double plotWidth = std::max(20.0, canvas.width - left - right);

    const auto px = [&](double x) { return plotLeft + (x - xAxis.lo) / (xAxis.hi - xAxis.lo) * plotWidth; };
    const auto py = [&](double y) { return plotTop + plotHeight - (y - yAxis.lo) / (yAxis.hi - yAxis.lo) * plotHeight; };

    // Grid, axes, ticks.
    out += cat("<g class=\"grid\" stroke=\"", kGridColour, "\" stroke-width=\"1\">\n");
    for (double y : yAxis.ticks) {
        appendLine(out, plotLeft, py(y), plotLeft + plotWidth, py(y));
    }
    for (double x : xAxis.ticks) {
        appendLine(out, px(x), plotTop, px(x), plotTop + plotHeight);
    }
    out += "</g>\n";
    out += cat("<g class=\"axes\" stroke=\"", kAxisColour, "\" stroke-width=\"1\">\n");
    appendLine(out, plotLeft, plotTop, plotLeft, plotTop + plotHeight);
    appendLine(out, plotLeft, plotTop + plotHeight, plotLeft + plotWidth, plotTop + plotHeight);
    if (yAxis.lo < 0) {
        appendLine(out, plotLeft, py(0), plotLeft + plotWidth, py(0));
    }
    out += "</g>\n";
    out += "<g class=\"ticks\">\n";
    for (size_t i = 0; i < yAxis.ticks.size(); ++i) {
        appendText(out, plotLeft - 6, py(yAxis.ticks[i]) + 4, yAxis.labels[i],
                   fontAttributes(kTickSize, "end", kMutedColour));
    }
    for (size_t i = 0; i < xAxis.ticks.size(); ++i) {
        appendText(out, px(xAxis.ticks[i]), plotTop + plotHeight + 15, xAxis.labels[i],
                   fontAttributes(kTickSize, "middle", kMutedColour));
    }
    out += "</g>\n";
    appendAxisTitles(out, canvas, plotLeft, plotTop, plotWidth, plotHeight, xTitle, yTitle);

    // Legend.
    out += "<g class=\"legend\">\n";
    size_t index = 0;
    for (size_t row = 0; row < rows.size(); ++row) {
        double total = 0;
        for (const LegendItem& item : rows[row]) {
            total += (total > 0 ? kItemGap : 0) + item.width;
        }
        double x = std::max(12.0, (canvas.width - total) / 2);
        const double y = legendTop + static_cast<double>(row) * kRowHeight + kRowHeight / 2;
        for (const LegendItem& item : rows[row]) {
            const char* colour = kPalette[index % kPalette.size()];
            const char* dash = kDashes[(index / kPalette.size()) % kDashes.size()];
            out += cat("<line x1=\"", coord(x), "\" y1=\"", coord(y), "\" x2=\"", coord(x + kSwatch), "\" y2=\"",
                       coord(y), "\" stroke=\"", colour, "\" stroke-width=\"3\"", dashAttribute(dash), "/>\n");
            appendText(out, x + kSwatch + kSwatchGap, y + 4, item.shown, *item.full,
                       fontAttributes(kLegendSize, "start", kTextColour));
            x += item.width + kItemGap;
            ++index;
        }
    }
    out += "</g>\n";

    // Series, in order (later series on top).
    for (size_t i = 0; i < series.size(); ++i) {
        if (points[i].empty()) {
            continue;
        }
        const char* colour = kPalette[i % kPalette.size()];
        const char* dash = kDashes[(i / kPalette.size()) % kDashes.size()];
        out += cat("<g class=\"series\"><title>", escapeXml(series[i].name), "</title>\n");
        if (points[i].size() >= 2) {
            out += cat("<polyline fill=\"none\" stroke=\"", colour,
                       "\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"", dashAttribute(dash),
                       " points=\"");
            for (size_t k = 0; k < points[i].size(); ++k) {
                if (k > 0) {
                    out += ' ';
                }
                out += coord(px(points[i][k].first));
                out += ',';
                out += coord(py(points[i][k].second));
            }
            out += "\"/>\n";
        }
        if (points[i].size() <= kMarkerPointLimit) {
            const double radius = points[i].size() == 1 ? 4 : 2.5;
            for (const auto& [x, y] : points[i]) {
                out += cat("<circle cx=\"", coord(px(x)), "\" cy=\"", coord(py(y)), "\" r=\"", coord(radius), "\" fill=\"",
                           colour, "\"/>\n");
            }
        }
        out += "</g>\n";
    }
    return finishDocument(out);
}

} // namespace

std::string escapeXml(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (size_t at = 0; at < text.size();) {
        const CodePoint cp = decodeUtf8(text, at);
        if (!cp.valid || cp.value == 0xFFFE || cp.value == 0xFFFF ||
            (cp.value < 0x20 && cp.value != '\t' && cp.value != '\n' && cp.value != '\r')) {
            out += kReplacement;
        } else if (cp.value == '&') {
            out += "&amp;";
        } else if (cp.value == '<') {
            out += "&lt;";
        } else if (cp.value == '>') {
            out += "&gt;";
        } else if (cp.value == '"') {
            out += "&quot;";
        } else if (cp.value == '\'') {
            out += "&#39;";
        } else {
            out.append(text.substr(at, cp.length));
        }
        at += cp.length;
    }
    return out;
}

std::string barChartSvg(const std::string& title, const std::vector<BarItem>& bars, const std::string& yTitle,
                        ChartStyle style)
{
    const Canvas canvas = canvasFor(style);
    if (bars.empty()) {
        return noDataSvg(canvas, title);
    }

    std::string out;
    const double titleBottom = startDocument(out, canvas, title);
    const double plotTop = titleBottom + 22; // room for the value printed above the tallest bar
    const double count = static_cast<double>(bars.size());

    double minValue = 0, maxValue = 0;
    for (const BarItem& bar : bars) {
        if (std::isfinite(bar.value)) {
            minValue = std::min(minValue, bar.value);
            maxValue = std::max(maxValue, bar.value);
        }
    }

    // Labels: side by side when they fit under their bars, else slanted at 45 degrees. Slanted
    // labels are shortened further on short canvases so the plot keeps most of the height.
    constexpr double kSlant = 0.7071;
    size_t maxChars = kMaxBarLabelChars;
    std::vector<std::string> labels;
    double labelWidth = 0;
    double left = 0;
    double right = 18;
    double slot = 0;
    bool slanted = false;
    double bottomMargin = 0;
    Axis yAxis;
    for (;;) {
        labels.clear();
        for (const BarItem& bar : bars) {
            labels.push_back(truncateChars(bar.label, maxChars));
        }
        labelWidth = maxWidth(labels, kTickSize);
        // The plot height depends on the bottom margin, the ticks on the height, the left margin
        // on the ticks and the slot width on the left margin: settle it in two passes.
        bottomMargin = 30;
        for (int pass = 0; pass < 2; ++pass) {
            const double plotHeight = std::max(20.0, canvas.height - bottomMargin - plotTop);
            // Negative bars print their value below them: leave room above the category labels.
            const double lo = minValue < 0 ? minValue - 0.1 * (maxValue - minValue) : 0;
            const double hi = maxValue > minValue ? maxValue : minValue + 1;
            yAxis = niceAxis(lo, hi, std::max(2, static_cast<int>(plotHeight / 45)));
            left = leftMarginFor(yAxis, yTitle);
            slot = std::max(1.0, (canvas.width - left - right) / count);
            slanted = labelWidth > slot - 6;
            bottomMargin = slanted ? 16 + labelWidth * kSlant + 8 : 30;
        }
        if (!slanted || bottomMargin <= canvas.height * 0.4 || maxChars <= 6) {
            break;
        }
        maxChars -= 2;
    }
    if (slanted) { // the first label runs down-left from its bar: keep it on the canvas
        const double first = textWidth(labels.front(), kTickSize) * kSlant;
        for (int pass = 0; pass < 2; ++pass) {
            left = std::max(left, first - slot / 2 + 8);
            slot = std::max(1.0, (canvas.width - left - right) / count);
        }
    }

    const double plotLeft = left;
    const double plotWidth = slot * count;
    const double plotBottom = canvas.height - bottomMargin;
    const double plotHeight = std::max(20.0, plotBottom - plotTop);
    const auto py = [&](double y) { return plotTop + plotHeight - (y - yAxis.lo) / (yAxis.hi - yAxis.lo) * plotHeight; };
    const double barWidth = std::min(slot * 0.7, 96.0);

    out += cat("<g class=\"grid\" stroke=\"", kGridColour, "\" stroke-width=\"1\">\n");
    for (double y : yAxis.ticks) {
        appendLine(out, plotLeft, py(y), plotLeft + plotWidth, py(y));
    }
    out += "</g>\n";
    out += "<g class=\"ticks\">\n";
    for (size_t i = 0; i < yAxis.ticks.size(); ++i) {
        appendText(out, plotLeft - 6, py(yAxis.ticks[i]) + 4, yAxis.labels[i],
                   fontAttributes(kTickSize, "end", kMutedColour));
    }
    out += "</g>\n";
    appendAxisTitles(out, canvas, plotLeft, plotTop, plotWidth, plotHeight, std::string(), yTitle);

    out += "<g class=\"bars\">\n";
    const double zero = py(0);
    for (size_t i = 0; i < bars.size(); ++i) {
        const BarItem& bar = bars[i];
        const double centre = plotLeft + slot * (static_cast<double>(i) + 0.5);
        const bool finite = std::isfinite(bar.value);
        const double top = finite ? py(bar.value) : zero;
        std::string value = formatValue(bar.value);
        double valueSize = kValueSize;
        if (textWidth(value, valueSize) > slot - 2) {
            value = formatCompact(bar.value);
        }
        if (textWidth(value, valueSize) > slot - 2) {
            valueSize = 9;
        }
        if (finite) {
            out += cat("<rect class=\"bar\" x=\"", coord(centre - barWidth / 2), "\" y=\"", coord(std::min(top, zero)),
                       "\" width=\"", coord(barWidth), "\" height=\"", coord(std::fabs(zero - top)), "\" fill=\"",
                       kPalette[i % kPalette.size()], "\"><title>", escapeXml(bar.label), ": ",
                       escapeXml(formatValue(bar.value)), "</title></rect>\n");
        }
        const double valueY = finite && bar.value < 0 ? top + valueSize + 3 : top - 4;
        appendText(out, centre, valueY, value, fontAttributes(valueSize, "middle", kTextColour));

        if (slanted) {
            const double y = plotBottom + 14;
            appendText(out, centre + 4, y, labels[i], bar.label,
                       cat(fontAttributes(kTickSize, "end", kTextColour), " transform=\"rotate(-45 ",
                           coord(centre + 4), " ", coord(y), ")\""));
        } else {
            appendText(out, centre, plotBottom + 16, labels[i], bar.label,
                       fontAttributes(kTickSize, "middle", kTextColour));
        }
    }
    out += "</g>\n";

    out += cat("<g class=\"axes\" stroke=\"", kAxisColour, "\" stroke-width=\"1\">\n");
    appendLine(out, plotLeft, plotTop, plotLeft, plotBottom);
    appendLine(out, plotLeft, zero, plotLeft + plotWidth, zero);
    if (yAxis.lo < 0) {
        appendLine(out, plotLeft, plotBottom, plotLeft + plotWidth, plotBottom);
    }
    out += "</g>\n";
    return finishDocument(out);
}

std::string lineChartSvg(const std::string& title, const std::vector<ChartSeries>& series, const std::string& xTitle,
                         const std::string& yTitle, ChartStyle style)
{
    return lineSvg(title, series, xTitle, yTitle, style, XScale::Linear);
}

std::string percentileChartSvg(const std::string& title, const std::vector<ChartSeries>& series,
                               const std::string& yTitle, ChartStyle style)
{
    return lineSvg(title, series, "Percentile", yTitle, style, XScale::Nines);
}

} // namespace benchdeck::report
