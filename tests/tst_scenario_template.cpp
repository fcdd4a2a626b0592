// SPDX-License-Identifier: Apache-2.0
// Request templates: substitution of {{variables}}, the built-ins ($uuid, $randomInt, $iteration,
// $timestamp), every compile error, and the buffer reuse the engine's hot path relies on. No network,
// no threads: each test drives the template with its own seeded random engine.
#include "scenario/request_template.h"

#include <QList>
#include <QRegularExpression>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QTest>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

using benchdeck::scenario::RenderContext;
using benchdeck::scenario::RequestTemplate;
using benchdeck::scenario::VariableIndex;
using benchdeck::scenario::VariableValues;

namespace {

QString toQString(std::string_view text)
{
    return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size()));
}

struct Compiled {
    std::optional<RequestTemplate> result;
    std::string error;
};

Compiled compile(std::string_view text, VariableIndex& variables)
{
    Compiled compiled;
    compiled.result = RequestTemplate::compile(text, variables, &compiled.error);
    return compiled;
}

struct Rendered {
    bool ok = false;
    std::string out;
    std::string missing;
};

Rendered render(const RequestTemplate& compiled, const VariableValues& values, uint64_t iteration = 1,
                uint64_t seed = 1)
{
    std::mt19937_64 random(seed);
    RenderContext context{random, iteration};
    Rendered rendered;
    rendered.ok = compiled.render(values, context, rendered.out, &rendered.missing);
    return rendered;
}

std::optional<int64_t> parseInt64(std::string_view text)
{
    int64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [stop, status] = std::from_chars(text.data(), end, value);
    if (status != std::errc{} || stop != end) {
        return std::nullopt;
    }
    return value;
}

QString joined(const std::vector<int>& indices)
{
    QStringList parts;
    for (const int index : indices) {
        parts << QString::number(index);
    }
    return parts.join(QLatin1Char(','));
}

const QRegularExpression
    kUuidPattern(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));

int64_t unixSecondsNow()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace

class TestScenarioTemplate : public QObject {
    Q_OBJECT

private slots:
    void variableIndexIsDense()
    {
        VariableIndex index;
        QCOMPARE(index.indexOf("token"), -1);
        QCOMPARE(index.add("token"), 0);
        QCOMPARE(index.add("user.id"), 1);
        QCOMPARE(index.add("token"), 0);
        QCOMPARE(index.size(), size_t(2));
        QCOMPARE(index.indexOf("user.id"), 1);
        QCOMPARE(index.indexOf("user"), -1);
        QCOMPARE(toQString(index.name(1)), QStringLiteral("user.id"));
    }

    void renders_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("assignments"); // "name=value", split at the first '='
        QTest::addColumn<QString>("expected");
        QTest::addColumn<bool>("constant");

        QTest::newRow("literal only") << "GET /health" << QStringList{} << "GET /health" << true;
        QTest::newRow("empty") << "" << QStringList{} << "" << true;
        QTest::newRow("lone braces are text") << "{a} } { }{ {}" << QStringList{} << "{a} } { }{ {}" << true;
        QTest::newRow("closing pairs are text") << "}} and }}}" << QStringList{} << "}} and }}}" << true;
        QTest::newRow("one variable") << "/users/{{id}}" << QStringList{"id=42"} << "/users/42" << false;
        QTest::newRow("two variables") << "{{scheme}}://{{host}}/" << QStringList{"scheme=https", "host=example.test"}
                                       << "https://example.test/" << false;
        QTest::newRow("repeated variable") << "{{a}}-{{a}}-{{a}}" << QStringList{"a=x"} << "x-x-x" << false;
        QTest::newRow("adjacent placeholders") << "{{a}}{{b}}" << QStringList{"a=1", "b=2"} << "12" << false;
        QTest::newRow("whitespace in braces")
            << "Bearer {{ token }}" << QStringList{"token=abc"} << "Bearer abc" << false;
        QTest::newRow("tabs and newlines in braces") << "{{\ttoken\n}}" << QStringList{"token=abc"} << "abc" << false;
        QTest::newRow("dots, dashes, underscores")
            << "{{user.id}}/{{order-no}}/{{_x9}}" << QStringList{"user.id=7", "order-no=A-1", "_x9=z"} << "7/A-1/z"
            << false;
        QTest::newRow("backslash is not an escape") << "\\{{a}}" << QStringList{"a=v"} << "\\v" << false;
        QTest::newRow("JSON body") << R"({"id":{{id}},"tags":[{"t":"{{tag}}"}]})" << QStringList{"id=7", "tag=x"}
                                   << R"({"id":7,"tags":[{"t":"x"}]})" << false;
        QTest::newRow("brace run: last two open") << "{{{x}}}" << QStringList{"x=v"} << "{v}" << false;
        QTest::newRow("value inserted verbatim")
            << "/q?{{a}}" << QStringList{"a=x y&z=%20/"} << "/q?x y&z=%20/" << false;
        QTest::newRow("value is not expanded again") << "{{a}}" << QStringList{"a={{b}}"} << "{{b}}" << false;
        QTest::newRow("empty value") << "[{{a}}]" << QStringList{"a="} << "[]" << false;
    }

    void renders()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, assignments);
        QFETCH(QString, expected);
        QFETCH(bool, constant);

        VariableIndex index;
        const std::string source = text.toStdString();
        const Compiled compiled = compile(source, index);
        QVERIFY2(compiled.result.has_value(), compiled.error.c_str());
        QCOMPARE(compiled.result->isConstant(), constant);
        QCOMPARE(compiled.result->variablesUsed().empty(), constant);
        QCOMPARE(toQString(compiled.result->text()), text);

        VariableValues values(index);
        for (const QString& assignment : assignments) {
            const qsizetype equals = assignment.indexOf(QLatin1Char('='));
            const std::string name = assignment.left(equals).toStdString();
            const int at = index.indexOf(name);
            QVERIFY2(at >= 0, qPrintable(QStringLiteral("'%1' not in the index").arg(assignment.left(equals))));
            values.set(at, assignment.mid(equals + 1).toStdString());
        }
        const Rendered rendered = render(*compiled.result, values);
        QVERIFY2(rendered.ok, qPrintable(QStringLiteral("missing: ") + toQString(rendered.missing)));
        QCOMPARE(toQString(rendered.out), expected);
    }

    void variablesUsedAreUniqueInOrderOfFirstUse()
    {
        VariableIndex index;
        QCOMPARE(index.add("a"), 0); // known before: a feeder's column, say
        const Compiled compiled = compile("{{b}} {{a}} {{ b }} {{$uuid}} {{a}}", index);
        QVERIFY2(compiled.result.has_value(), compiled.error.c_str());
        QCOMPARE(index.size(), size_t(2));
        QCOMPARE(index.indexOf("b"), 1);
        QCOMPARE(joined(compiled.result->variablesUsed()), QStringLiteral("1,0"));
    }

    void unsetVariableReportsItsName()
    {
        VariableIndex index;
        const Compiled compiled = compile("/{{a}}/{{b}}", index);
        QVERIFY2(compiled.result.has_value(), compiled.error.c_str());

        VariableValues values(index);
        values.set(index.indexOf("a"), "1");
        Rendered rendered = render(*compiled.result, values);
        QVERIFY2(!rendered.ok, qPrintable(QStringLiteral("rendered: ") + toQString(rendered.out)));
        QCOMPARE(toQString(rendered.missing), QStringLiteral("b"));

        values.set(index.indexOf("b"), "2");
        rendered = render(*compiled.result, values);
        QVERIFY2(rendered.ok, qPrintable(QStringLiteral("missing: ") + toQString(rendered.missing)));
        QCOMPARE(toQString(rendered.out), QStringLiteral("/1/2"));

        values.clearAll();
        rendered = render(*compiled.result, values);
        QVERIFY2(!rendered.ok, "clearAll() left values set");
        QCOMPARE(toQString(rendered.missing), QStringLiteral("a"));

        // Values sized before the template added its names: unset, not out of bounds.
        const VariableValues empty{};
        rendered = render(*compiled.result, empty);
        QVERIFY(!rendered.ok);
        QCOMPARE(toQString(rendered.missing), QStringLiteral("a"));

        // A caller that does not want the name still gets false.
        std::mt19937_64 random(1);
        RenderContext context{random, 1};
        std::string out;
        QVERIFY(!compiled.result->render(empty, context, out, nullptr));
    }

    void compileErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("expectedWords");

        QTest::newRow("unterminated") << "GET /users/{{id" << QStringList{"unterminated {{", "offset 11", "{{id"};
        QTest::newRow("unterminated after a good one") << "{{a}} {{b" << QStringList{"unterminated", "offset 6"};
        QTest::newRow("unterminated by one brace") << "{{a}" << QStringList{"unterminated", "offset 0"};
        QTest::newRow("unterminated at the end") << "abc{{" << QStringList{"unterminated", "offset 3"};
        QTest::newRow("unterminated long snippet cut")
            << QStringLiteral("{{") + QString(100, QLatin1Char('x')) << QStringList{"unterminated", "offset 0", "..."};
        QTest::newRow("empty") << "x{{}}" << QStringList{"empty {{}}", "offset 1"};
        QTest::newRow("blank") << "{{   }}" << QStringList{"empty", "offset 0"};
        QTest::newRow("unknown built-in")
            << "{{$foo}}" << QStringList{"unknown built-in $foo; known: $uuid, $randomInt A B, $iteration, $timestamp"};
        QTest::newRow("built-ins are case-sensitive") << "{{$UUID}}" << QStringList{"unknown built-in $UUID"};
        QTest::newRow("bare dollar") << "{{ $ }}" << QStringList{"unknown built-in $;"};
        QTest::newRow("uuid with an argument") << "{{$uuid 4}}" << QStringList{"$uuid", "no arguments", "offset 0"};
        QTest::newRow("iteration with an argument") << "{{$iteration x}}" << QStringList{"$iteration", "no arguments"};
        QTest::newRow("randomInt without arguments") << "{{$randomInt}}" << QStringList{"$randomInt", "two integers"};
        QTest::newRow("randomInt with one")
            << "a {{$randomInt 5}}" << QStringList{"$randomInt", "two integers", "offset 2", "{{$randomInt 5}}"};
        QTest::newRow("randomInt with three") << "{{$randomInt 1 2 3}}" << QStringList{"$randomInt", "two integers"};
        QTest::newRow("randomInt not a number")
            << "{{$randomInt a 5}}" << QStringList{"$randomInt", "'a'", "not a 64-bit integer"};
        QTest::newRow("randomInt second not a number")
            << "{{$randomInt 1 b}}" << QStringList{"'b'", "not a 64-bit integer"};
        QTest::newRow("randomInt decimal") << "{{$randomInt 1.5 3}}" << QStringList{"'1.5'", "not a 64-bit integer"};
        QTest::newRow("randomInt past 64 bits")
            << "{{$randomInt 0 9223372036854775808}}" << QStringList{"'9223372036854775808'", "not a 64-bit integer"};
        QTest::newRow("randomInt reversed") << "{{$randomInt 5 1}}" << QStringList{"$randomInt", "A <= B", "5 > 1"};
        QTest::newRow("name starting with a digit")
            << "{{1abc}}" << QStringList{"invalid variable name '1abc'", "offset 0"};
        QTest::newRow("name with a space")
            << "/{{first name}}" << QStringList{"invalid variable name 'first name'", "offset 1"};
        QTest::newRow("name with a brace") << "{{a}b}}" << QStringList{"invalid variable name 'a}b'"};
    }

    void compileErrors()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, expectedWords);

        VariableIndex index;
        const std::string source = text.toStdString();
        const Compiled compiled = compile(source, index);
        QVERIFY2(!compiled.result.has_value(), "compiled, but should have failed");
        const QString error = toQString(compiled.error);
        for (const QString& word : expectedWords) {
            QVERIFY2(error.contains(word), qPrintable(QStringLiteral("'%1' not in: %2").arg(word, error)));
        }
        // A failed compile leaves the index as it was, even when good placeholders came first.
        QCOMPARE(index.size(), size_t(0));
        // Without an error string the failure is still reported.
        QVERIFY(!RequestTemplate::compile(source, index, nullptr).has_value());
    }

    void uuidIsVersion4()
    {
        VariableIndex index;
        const Compiled compiled = compile("{{$uuid}} {{$uuid}}", index);
        QVERIFY2(compiled.result.has_value(), compiled.error.c_str());
        QVERIFY(!compiled.result->isConstant());

        std::mt19937_64 random(7);
        RenderContext context{random, 1};
        const VariableValues values{};
        std::string out;
        QSet<QString> seen;
        QSet<QChar> variants;
        for (int i = 0; i < 1000; ++i) {
            QVERIFY(compiled.result->render(values, context, out, nullptr));
            const QStringList uuids = toQString(out).split(QLatin1Char(' '));
            QCOMPARE(uuids.size(), qsizetype(2));
            for (const QString& uuid : uuids) {
                if (!kUuidPattern.match(uuid).hasMatch()) {
                    QFAIL(qPrintable(QStringLiteral("not a lower-case version 4 UUID: ") + uuid));
                }
                seen.insert(uuid);
                variants.insert(uuid.at(19));
            }
        }
        QCOMPARE(seen.size(), qsizetype(2000));  // the two in one rendering differ too
        QCOMPARE(variants.size(), qsizetype(4)); // 8, 9, a and b: the variant's low bits are random
    }

    void randomnessComesFromTheContext()
    {
        VariableIndex index;
        const Compiled compiled = compile("{{$uuid}}/{{$randomInt 1 1000000000}}", index);
        QVERIFY2(compiled.result.has_value(), compiled.error.c_str());
        const VariableValues values{};
        const Rendered first = render(*compiled.result, values, 1, 42);
        const Rendered again = render(*compiled.result, values, 1, 42);
        const Rendered other = render(*compiled.result, values, 1, 43);
        QCOMPARE(toQString(again.out), toQString(first.out));
        QVERIFY2(other.out != first.out, first.out.c_str());
    }

    void randomIntStaysInBounds_data()
    {
        QTest::addColumn<qint64>("low");
        QTest::addColumn<qint64>("high");
        QTest::addColumn<bool>("hitsBothEnds");

        constexpr qint64 min = std::numeric_limits<qint64>::min();
        constexpr qint64 max = std::numeric_limits<qint64>::max();
        QTest::newRow("1..3") << qint64(1) << qint64(3) << true;
        QTest::newRow("a single value") << qint64(7) << qint64(7) << true;
        QTest::newRow("negative") << qint64(-10) << qint64(-3) << true;
        QTest::newRow("across zero") << qint64(-3) << qint64(3) << true;
        QTest::newRow("the lowest values") << min << min + 2 << true;
        QTest::newRow("the highest values") << max - 2 << max << true;
        QTest::newRow("wide") << qint64(0) << qint64(1'000'000'000'000) << false;
        QTest::newRow("all 64 bits") << min << max << false;
    }

    void randomIntStaysInBounds()
    {
        QFETCH(qint64, low);
        QFETCH(qint64, high);
        QFETCH(bool, hitsBothEnds);

        VariableIndex index;
        std::string text = "{{$randomInt "; // by append: GCC 12 misreads operator+ chains (-Wrestrict)
        text.append(std::to_string(low)).append(" ").append(std::to_string(high)).append("}}");
        const Compiled compiled = compile(text, index);
        QVERIFY2(compiled.result.has_value(), compiled.error.c_str());

        std::mt19937_64 random(2024);
        RenderContext context{random, 1};
        const VariableValues values{};
        std::string out;
        bool sawLow = false;
        bool sawHigh = false;
        for (int i = 0; i < 10'000; ++i) {
            QVERIFY(compiled.result->render(values, context, out, nullptr));
            const std::optional<int64_t> value = parseInt64(out);
            if (!value || *value < low || *value > high) {
                QFAIL(qPrintable(
                    QStringLiteral("%1 is not an integer in [%2, %3]").arg(toQString(out)).arg(low).arg(high)));
            }
            sawLow = sawLow || *value == low;
            sawHigh = sawHigh || *value == high;
        }
        if (hitsBothEnds) {
            QVERIFY2(sawLow, "never drew the lower bound: the range is not inclusive");
            QVERIFY2(sawHigh, "never drew the upper bound: the range is not inclusive");
        }
    }

    void iteration_data()
    {
        QTest::addColumn<quint64>("iteration");
        QTest::addColumn<QString>("expected");

        QTest::newRow("first") << quint64(1) << "i=1;";
        QTest::newRow("zero") << quint64(0) << "i=0;";
        QTest::newRow("large") << quint64(1234567890123) << "i=1234567890123;";
        QTest::newRow("largest") << std::numeric_limits<quint64>::max() << "i=18446744073709551615;";
    }

    void iteration()
    {
        QFETCH(quint64, iteration);
        QFETCH(QString, expected);

        VariableIndex index;
        const Compiled compiled = compile("i={{ $iteration }};", index);
        QVERIFY2(compiled.result.has_value(), compiled.error.c_str());
        const Rendered rendered = render(*compiled.result, VariableValues(), iteration);
        QVERIFY(rendered.ok);
        QCOMPARE(toQString(rendered.out), expected);
    }

    void timestampIsUnixSecondsNow()
    {
        VariableIndex index;
        const Compiled compiled = compile("{{$timestamp}}", index);
        QVERIFY2(compiled.result.has_value(), compiled.error.c_str());
        const int64_t before = unixSecondsNow();
        const Rendered rendered = render(*compiled.result, VariableValues());
        const int64_t after = unixSecondsNow();
        QVERIFY(rendered.ok);
        const std::optional<int64_t> value = parseInt64(rendered.out);
        QVERIFY2(value.has_value(), rendered.out.c_str());
        QVERIFY2(*value >= before && *value <= after,
                 qPrintable(QStringLiteral("%1 not in [%2, %3]").arg(*value).arg(before).arg(after)));
    }

    void renderReusesOut()
    {
        VariableIndex index;
        const Compiled compiled =
            compile("/a/path/long/enough/to/be/on/the/heap/items/{{id}}?page={{page}}&trace={{$uuid}}", index);
        QVERIFY2(compiled.result.has_value(), compiled.error.c_str());
        VariableValues values(index);
        values.set(index.indexOf("id"), "12345");
        values.set(index.indexOf("page"), "7");

        std::mt19937_64 random(1);
        RenderContext context{random, 1};
        std::string out = "left over from the previous request";
        QVERIFY(compiled.result->render(values, context, out, nullptr));
        QVERIFY2(toQString(out).startsWith(QStringLiteral("/a/path/long/enough/to/be/on/the/heap/items/12345?page=7")),
                 out.c_str());
        const char* const data = out.data();
        const size_t capacity = out.capacity();
        const size_t size = out.size();

        values.set(index.indexOf("id"), "67890");
        QVERIFY(compiled.result->render(values, context, out, nullptr));
        QCOMPARE(out.size(), size);
        QVERIFY2(out.data() == data, "a rendering of the same size moved the buffer");
        QCOMPARE(out.capacity(), capacity);
        QVERIFY2(toQString(out).contains(QStringLiteral("/items/67890?")), out.c_str());

        values.set(index.indexOf("id"), "1");
        QVERIFY(compiled.result->render(values, context, out, nullptr));
        QVERIFY2(out.data() == data, "a shorter rendering moved the buffer");
        QCOMPARE(out.size(), size - 4);
    }

    void setReusesCapacity()
    {
        VariableValues values(1);
        QVERIFY(!values.isSet(0));
        values.set(0, std::string(100, 'a'));
        const char* const data = values.get(0).data();

        values.set(0, std::string(80, 'b'));
        QVERIFY2(values.get(0).data() == data, "a shorter value moved the string");
        QCOMPARE(toQString(values.get(0)), QString(80, QLatin1Char('b')));

        values.clearAll();
        QVERIFY(!values.isSet(0));
        QVERIFY(values.get(0).empty());
        values.set(0, std::string(100, 'c'));
        QVERIFY2(values.get(0).data() == data, "clearAll() gave the capacity away");
        QCOMPARE(toQString(values.get(0)), QString(100, QLatin1Char('c')));
    }

    void setOutsideTheSize()
    {
        VariableValues values;
        values.set(2, "x");
        QCOMPARE(values.size(), size_t(3));
        QVERIFY(values.isSet(2));
        QVERIFY(!values.isSet(0));
        QCOMPARE(toQString(values.get(2)), QStringLiteral("x"));

        values.set(-1, "ignored"); // what set(indexOf(unknown), ...) does
        QCOMPARE(values.size(), size_t(3));
        QVERIFY(!values.isSet(-1));
        QVERIFY(!values.isSet(99));
        QVERIFY(values.get(99).empty());
    }

    void copiedTemplateOutlivesTheOriginal()
    {
        // A short source lives in std::string's inline buffer: views into it would dangle after a move.
        VariableIndex index;
        std::optional<RequestTemplate> original = RequestTemplate::compile("a{{x}}b", index, nullptr);
        QVERIFY(original.has_value());
        const RequestTemplate copied = *original;
        RequestTemplate moved = std::move(*original);
        original.reset();

        VariableValues values(index);
        values.set(index.indexOf("x"), "1");
        QCOMPARE(toQString(render(copied, values).out), QStringLiteral("a1b"));
        QCOMPARE(toQString(render(moved, values).out), QStringLiteral("a1b"));
        QCOMPARE(toQString(moved.text()), QStringLiteral("a{{x}}b"));
    }

    void defaultTemplateIsEmptyAndConstant()
    {
        const RequestTemplate empty{};
        QVERIFY(empty.isConstant());
        QVERIFY(empty.text().empty());
        const Rendered rendered = render(empty, VariableValues());
        QVERIFY(rendered.ok);
        QVERIFY(rendered.out.empty());
    }
};

QTEST_APPLESS_MAIN(TestScenarioTemplate)
#include "tst_scenario_template.moc"
