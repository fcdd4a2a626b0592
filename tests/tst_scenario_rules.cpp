// SPDX-License-Identifier: Apache-2.0
#include "scenario/json_scan.h"
#include "scenario/response_rules.h"
#include "scenario/scenario.h"

#include <QTest>
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

using benchdeck::scenario::Check;
using benchdeck::scenario::CheckKind;
using benchdeck::scenario::CompiledCheck;
using benchdeck::scenario::CompiledExtractor;
using benchdeck::scenario::decodeJsonString;
using benchdeck::scenario::ExtractFrom;
using benchdeck::scenario::Extractor;
using benchdeck::scenario::findJsonPointer;
using benchdeck::scenario::jsonPathToPointer;
using benchdeck::scenario::jsonValuesEqual;
using benchdeck::scenario::jsonValueText;
using benchdeck::scenario::JsonValueView;
using benchdeck::scenario::kMaxJsonNesting;
using benchdeck::scenario::parseJsonValue;
using benchdeck::scenario::ResponseView;
using Type = JsonValueView::Type;
// No raw string literals in this file: moc (Qt 6.4) reads them as plain ones, and a JSON text with
// escaped quotes then hides the test class from it.

namespace {

constexpr int kNoType = -1;

std::string_view view(const QByteArray& bytes)
{
    return {bytes.constData(), size_t(bytes.size())};
}

QByteArray bytes(std::string_view text)
{
    return QByteArray(text.data(), qsizetype(text.size()));
}

std::vector<int> parseStatuses(const QString& list)
{
    std::vector<int> statuses;
    for (const auto& part : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        statuses.push_back(part.toInt());
    }
    return statuses;
}

using HeaderList = std::vector<std::pair<std::string_view, std::string_view>>;

// The response every extractor row reads: a repeated header in two spellings, a body with an
// escaped string, nested arrays and a token a regex can find.
constexpr std::string_view kExtractBody =
    "{\"id\":42,\"name\":\"caf\\u00e9\",\"items\":[{\"sku\":\"A1\"},{\"sku\":\"B2\"}],\"token\":\"tok-9f3\"}";
const HeaderList kExtractHeaders{
    {"Content-Type", "application/json"},
    {"X-Request-Id", "abc-123"},
    {"x-request-id", "second"},
};

constexpr std::string_view kCheckBody = "{\"id\":42,\"ok\":true,\"name\":\"ann\",\"tags\":[\"a\",\"b\"],\"price\":9.5}";

} // namespace

class TestScenarioRules : public QObject {
    Q_OBJECT
private slots:
    void findPointer_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QByteArray>("pointer");
        QTest::addColumn<bool>("found");
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<int>("type");
        const auto row = [](const char* name, const char* json, const char* pointer, const char* raw, Type type) {
            QTest::newRow(name) << QByteArray(json) << QByteArray(pointer) << true << QByteArray(raw) << int(type);
        };
        const auto absent = [](const char* name, const char* json, const char* pointer) {
            QTest::newRow(name) << QByteArray(json) << QByteArray(pointer) << false << QByteArray() << kNoType;
        };
        row("nested objects", "{\"a\":{\"b\":{\"c\":42}}}", "/a/b/c", "42", Type::Number);
        row("array in an object", "{\"items\":[{\"id\":1},{\"id\":\"x\"}]}", "/items/1/id", "\"x\"", Type::String);
        row("whole document without the whitespace around it", " {\"a\":1}\n ", "", "{\"a\":1}", Type::Object);
        row("object as written", "{\"a\": {\"b\": [1, 2]} }", "/a", "{\"b\": [1, 2]}", Type::Object);
        row("array as written", "{\"a\": {\"b\": [1, 2]} }", "/a/b", "[1, 2]", Type::Array);
        row("element of a top-level array", "[10, 20, 30]", "/2", "30", Type::Number);
        row("true", "{\"t\":true,\"f\":false,\"n\":null}", "/t", "true", Type::True);
        row("false", "{\"t\":true,\"f\":false,\"n\":null}", "/f", "false", Type::False);
        row("null", "{\"t\":true,\"f\":false,\"n\":null}", "/n", "null", Type::Null);
        row("number with fraction and exponent", "{\"n\":-1.5e+3}", "/n", "-1.5e+3", Type::Number);
        row("whitespace everywhere", " { \"a\" : [ 1 , { \"b\" : null } ] } ", "/a/1/b", "null", Type::Null);
        row("~1 is a slash", "{\"a\":{\"b\":2},\"a/b\":1}", "/a~1b", "1", Type::Number);
        row("~0 is a tilde", "{\"m\":{\"n\":3},\"m~n\":2}", "/m~0n", "2", Type::Number);
        row("~01 is a tilde then 1", "{\"/\":\"no\",\"~1\":\"yes\"}", "/~01", "\"yes\"", Type::String);
        row("escaped quotes in a name", "{\"say \\\"hi\\\"\":3}", "/say \"hi\"", "3", Type::Number);
        row("u-escape in a name", "{\"caf\\u00e9\":4}", "/caf\xc3\xa9", "4", Type::Number);
        row("raw UTF-8 in a name", "{\"caf\xc3\xa9\":5}", "/caf\xc3\xa9", "5", Type::Number);
        row("surrogate pair in a name", "{\"\\ud83d\\ude00\":6}", "/\xf0\x9f\x98\x80", "6", Type::Number);
        row("\\n in a name", "{\"a\\nb\":7,\"c\\/d\":8}", "/a\nb", "7", Type::Number);
        row("\\/ in a name", "{\"a\\nb\":7,\"c\\/d\":8}", "/c~1d", "8", Type::Number);
        row("the first of duplicate names", "{\"a\":1,\"a\":2}", "/a", "1", Type::Number);
        row("skips strings holding brackets and escapes", "{\"x\":\"}]\\\"{[\",\"y\":{\"z\":\"\\\\\"},\"a\":9}", "/a", "9",
            Type::Number);
        row("a name that another starts with", "{\"ab\":1,\"a\":2}", "/a", "2", Type::Number);
        row("numeric token on an object", "{\"0\":\"zero\"}", "/0", "\"zero\"", Type::String);
        row("empty name", "{\"x\":0,\"\":1}", "/", "1", Type::Number);
        absent("index out of range", "[1,2,3]", "/3");
        absent("index into an empty array", "[]", "/0");
        absent("leading zero index", "[1,2]", "/01");
        absent("dash index", "[1,2]", "/-");
        absent("negative index", "[1,2]", "/-1");
        absent("missing member", "{\"a\":1}", "/b");
        absent("member of an empty object", "{}", "/a");
        absent("into a scalar", "{\"a\":1}", "/a/b");
        absent("escaped name against its escaped spelling", "{\"caf\\u00e9\":4}", "/caf\\u00e9");
        absent("pointer without a leading slash", "{\"a\":1}", "a");
        absent("~ not followed by 0 or 1", "{\"a~2\":1}", "/a~2");
        absent("document cut after the value", "{\"a\":1,\"b\":", "/a");
        absent("garbage after the document", "{\"a\":1} x", "/a");
        absent("a second top-level value", "{\"a\":1} {\"a\":2}", "/a");
    }

    void findPointer()
    {
        QFETCH(QByteArray, json);
        QFETCH(QByteArray, pointer);
        QFETCH(bool, found);
        QFETCH(QByteArray, raw);
        QFETCH(int, type);
        const auto value = findJsonPointer(view(json), view(pointer));
        QCOMPARE(value.has_value(), found);
        if (value) {
            QCOMPARE(bytes(value->raw), raw);
            QCOMPARE(int(value->type), type);
            // A view into the document itself, not a copy that would dangle.
            QVERIFY(value->raw.data() >= json.constData());
            QVERIFY(value->raw.data() + value->raw.size() <= json.constData() + json.size());
        }
    }

    void malformedFindsNothing_data()
    {
        QTest::addColumn<QByteArray>("json");
        const auto row = [](const char* name, QByteArray json) { QTest::newRow(name) << json; };
        row("{", "{");
        row("{\"a\":", "{\"a\":");
        row("[1,2", "[1,2");
        row("{\"a\" 1}", "{\"a\" 1}");
        row("\"unterminated", "\"unterminated");
        row("]", "]");
        row("empty", "");
        row("only whitespace", " \n\t ");
        row("trailing comma in an object", "{\"a\":1,}");
        row("trailing comma in an array", "[1,]");
        row("leading comma", "{,\"a\":1}");
        row("missing comma", "{\"a\":1 \"b\":2}");
        row("elements without a comma", "[1 2]");
        row("truncated literal", "{\"a\":tru}");
        row("misspelled literal", "[nul]");
        row("number with a leading zero", "01");
        row("lone minus", "[-]");
        row("fraction without digits", "[1.]");
        row("exponent without digits", "[1e]");
        row("fraction without an integer part", "[.5]");
        row("plus sign", "[+1]");
        row("unknown escape", "{\"a\":\"\\x\"}");
        row("short \\u escape", "{\"a\":\"\\u12\"}");
        row("cut \\u escape", "{\"a\":\"\\u00");
        row("escaped closing quote", "[\"a\\\"]");
        row("unquoted name", "{a:1}");
        row("single-quoted string", "['a']");
        row("extra closer", "{\"a\":1}}");
        row("mismatched closer in an object", "{\"a\":[1,2}}");
        row("mismatched closer in an array", "{\"a\":{\"b\":1]}");
        row("control character in a string", "[\"a\x01\"]");
        row("NUL byte", QByteArray("[1,\0 2]", 7));
    }

    void malformedFindsNothing()
    {
        QFETCH(QByteArray, json);
        for (const char* pointer : {"", "/a", "/0", "/a/0", "/a/b", "/1"}) {
            QVERIFY2(!findJsonPointer(view(json), pointer), pointer);
        }
        QVERIFY(!parseJsonValue(view(json)));
        QVERIFY(!jsonValuesEqual(view(json), view(json)));
    }

    void everyTruncationFindsNothing()
    {
        const QByteArray document =
            "{\"id\":7,\"name\":\"caf\\u00e9 \\\"x\\\"\",\"items\":[{\"sku\":\"A1\",\"n\":[1,2.5e3,-0]},true,null],\"o\":{}}";
        const std::array pointers = {"", "/id", "/name", "/items/0/sku", "/items/0/n/1", "/items/2", "/o"};
        for (const char* pointer : pointers) {
            QVERIFY2(findJsonPointer(view(document), pointer), pointer); // the whole document has them all
        }
        for (qsizetype cut = 0; cut < document.size(); ++cut) {
            // Each prefix in an allocation of its own size, so a sanitized build catches a read past it.
            const std::vector<char> prefix(document.constData(), document.constData() + cut);
            const std::string_view text(prefix.data(), prefix.size());
            for (const char* pointer : pointers) {
                if (findJsonPointer(text, pointer)) {
                    QFAIL(qPrintable(
                        QStringLiteral("found %1 in the first %2 bytes").arg(QString::fromUtf8(pointer)).arg(cut)));
                }
            }
        }
    }

    void nestingLimit()
    {
        const auto nested = [](size_t depth) {
            std::string text(depth, '[');
            text += '7';
            text.append(depth, ']');
            return text;
        };
        const auto zeros = [](size_t depth) {
            std::string pointer;
            for (size_t i = 0; i < depth; ++i) {
                pointer += "/0";
            }
            return pointer;
        };
        const std::string deepest = nested(kMaxJsonNesting);
        const auto found = findJsonPointer(deepest, zeros(kMaxJsonNesting));
        QVERIFY(found);
        QCOMPARE(bytes(found->raw), QByteArray("7"));
        QVERIFY(parseJsonValue(deepest));

        const std::string tooDeep = nested(kMaxJsonNesting + 1);
        QVERIFY(!parseJsonValue(tooDeep));
        QVERIFY(!findJsonPointer(tooDeep, zeros(kMaxJsonNesting + 1)));

        // Far deeper than a recursive scanner's stack would survive.
        const std::string hostile(1000000, '[');
        QVERIFY(!parseJsonValue(hostile));
        QVERIFY(!findJsonPointer(hostile, "/0/0/0"));
    }

    void pathToPointer_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QByteArray>("pointer");
        QTest::addColumn<QByteArray>("errorMentions");
        const auto row = [](const char* name, const char* path, const char* pointer) {
            QTest::newRow(name) << QByteArray(path) << true << QByteArray(pointer) << QByteArray();
        };
        const auto error = [](const char* name, const char* path, const char* mentions) {
            QTest::newRow(name) << QByteArray(path) << false << QByteArray() << QByteArray(mentions);
        };
        row("members and an index", "$.a.b[0].c", "/a/b/0/c");
        row("quoted name with a space", "$['a b'][2]", "/a b/2");
        row("member then index", "$.items[0]", "/items/0");
        row("$ alone is the whole document", "$", "");
        row("empty is the whole document", "", "");
        row("a pointer comes back unchanged", "/a/0/~0x", "/a/0/~0x");
        row("~ and / are escaped", "$['a/b']['m~n']", "/a~1b/m~0n");
        row("double-quoted name", "$[\"q\"].r", "/q/r");
        row("escaped quote in a quoted name", "$['it\\'s']", "/it's");
        row("quoted name with a dot and brackets", "$['a.b[0]']", "/a.b[0]");
        row("quoted star is a name", "$['*']", "/*");
        row("top-level index", "$[3]", "/3");
        row("index zero", "$.a[0][10]", "/a/0/10");
        error("wildcard member", "$.a.*", "wildcard");
        error("wildcard index", "$.a[*]", "wildcard");
        error("recursive descent at the root", "$..a", "recursive");
        error("recursive descent inside", "$.a..b", "recursive");
        error("filter", "$.a[?(@.b == 1)]", "filter");
        error("slice", "$.a[0:2]", "slice");
        error("union", "$.a[0,1]", "union");
        error("negative index", "$.a[-1]", "negative");
        error("leading zero", "$.a[01]", "leading zero");
        error("neither index nor name", "$.a[b]", "quoted name");
        error("empty brackets", "$.a[]", "[]");
        error("no $", "a.b", "starts with '$'");
        error("unclosed bracket", "$.a[0", "without its ']'");
        error("unclosed quote", "$['a", "closing quote");
        error("quoted name without ]", "$['a'x", "followed by ']'");
        error("trailing dot", "$.", "member name");
        error("text right after $", "$a", "after '$'");
        error("pointer with a bad escape", "/a~2", "~");
    }

    void pathToPointer()
    {
        QFETCH(QByteArray, path);
        QFETCH(bool, ok);
        QFETCH(QByteArray, pointer);
        QFETCH(QByteArray, errorMentions);
        std::string error;
        const auto converted = jsonPathToPointer(view(path), &error);
        QCOMPARE(converted.has_value(), ok);
        if (converted) {
            QCOMPARE(bytes(*converted), pointer);
            QVERIFY2(error.empty(), error.c_str());
        } else {
            QVERIFY2(error.find(view(errorMentions)) != std::string::npos, error.c_str());
            QVERIFY2(error.find(view(path)) != std::string::npos, error.c_str()); // says which path
        }
        QCOMPARE(jsonPathToPointer(view(path), nullptr).has_value(), ok); // without a place for the error
    }

    void valueText_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QByteArray>("pointer");
        QTest::addColumn<QByteArray>("text");
        const auto row = [](const char* name, const char* json, const char* pointer, QByteArray text) {
            QTest::newRow(name) << QByteArray(json) << QByteArray(pointer) << text;
        };
        row("string decoded", "{\"s\":\"a\\\"b\\u00e9\\n\"}", "/s", "a\"b\xc3\xa9\n");
        row("empty string", "{\"s\":\"\"}", "/s", "");
        row("number as written", "{\"n\":1.50}", "/n", "1.50");
        row("true as written", "{\"b\":true}", "/b", "true");
        row("null as written", "{\"z\":null}", "/z", "null");
        row("object as written", "{\"o\":{\"x\": [1, \"y\"]}}", "/o", "{\"x\": [1, \"y\"]}");
        row("array as written", "{\"a\":[ \"\\u0061\" ]}", "/a", "[ \"\\u0061\" ]");
    }

    void valueText()
    {
        QFETCH(QByteArray, json);
        QFETCH(QByteArray, pointer);
        QFETCH(QByteArray, text);
        const auto value = findJsonPointer(view(json), view(pointer));
        QVERIFY(value);
        std::string out = "stale text from an earlier response";
        jsonValueText(*value, out);
        QCOMPARE(bytes(out), text);
    }

    void decodeString_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QByteArray>("decoded");
        const auto row = [](const char* name, const char* raw, const char* decoded) {
            QTest::newRow(name) << QByteArray(raw) << true << QByteArray(decoded);
        };
        const auto bad = [](const char* name, const char* raw) {
            QTest::newRow(name) << QByteArray(raw) << false << QByteArray();
        };
        row("plain", "\"abc\"", "abc");
        row("empty", "\"\"", "");
        row("backslash", "\"a\\\\b\"", "a\\b");
        row("quote", "\"\\\"\"", "\"");
        row("slash", "\"\\/\"", "/");
        row("control escapes", "\"\\b\\f\\n\\r\\t\"", "\b\f\n\r\t");
        row("\\u escapes to UTF-8", "\"\\u0041\\u00e9\\u20ac\"", "A\xc3\xa9\xe2\x82\xac");
        row("upper-case hex", "\"\\u00C9\"", "\xc3\x89");
        row("surrogate pair", "\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80");
        row("lone high surrogate", "\"\\ud83dx\"", "\xef\xbf\xbdx");
        row("lone low surrogate", "\"\\ude00\"", "\xef\xbf\xbd");
        row("high surrogate before a non-surrogate", "\"\\ud83d\\u0041\"", "\xef\xbf\xbd\x41"); // U+FFFD then A
        row("raw UTF-8 passes through", "\"caf\xc3\xa9\"", "caf\xc3\xa9");
        bad("no closing quote", "\"abc");
        bad("no opening quote", "abc\"");
        bad("a lone quote", "\"");
        bad("nothing", "");
        bad("unknown escape", "\"\\x\"");
        bad("short \\u escape", "\"\\u12\"");
        bad("non-hex \\u escape", "\"\\u12g4\"");
        bad("bare quote inside", "\"a\"b\"");
        bad("escaped closing quote", "\"\\\"");
        bad("raw tab", "\"a\tb\"");
    }

    void decodeString()
    {
        QFETCH(QByteArray, raw);
        QFETCH(bool, ok);
        QFETCH(QByteArray, decoded);
        std::string out = "stale";
        QCOMPARE(decodeJsonString(view(raw), out), ok);
        if (ok) {
            QCOMPARE(bytes(out), decoded);
        } else {
            QVERIFY(out.empty());
        }
    }

    void valuesEqual_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<bool>("equal");
        const auto row = [](const char* name, const char* a, const char* b, bool equal) {
            QTest::newRow(name) << QByteArray(a) << QByteArray(b) << equal;
        };
        row("1 and 1.0", "1", "1.0", true);
        row("1 and 1e0", "1", "1e0", true);
        row("10 and 1E1", "10", "1E1", true);
        row("-0 and 0", "-0", "0", true);
        row("1 and 2", "1", "2", false);
        row("0.1 and 0.10000001", "0.1", "0.10000001", false);
        row("same huge number", "1e999", "1e999", true);
        row("plain and escaped string", "\"a\"", "\"\\u0061\"", true);
        row("\\/ and /", "\"a\\/b\"", "\"a/b\"", true);
        row("surrogate pair and raw UTF-8", "\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\"", true);
        row("different strings", "\"a\"", "\"b\"", false);
        row("a string and its prefix", "\"ab\"", "\"a\"", false);
        row("number and string", "1", "\"1\"", false);
        row("true and true", "true", "true", true);
        row("true and false", "true", "false", false);
        row("null and null", "null", "null", true);
        row("null and \"null\"", "null", "\"null\"", false);
        row("object with and without whitespace", "{\"a\": [1, 2]}", "{\"a\":[1,2]}", true);
        row("member order matters", "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", false);
        row("whitespace inside strings counts", "{\"a\":\"x y\"}", "{\"a\":\"xy\"}", false);
        row("nested numbers compare as written", "[1]", "[1.0]", false);
        row("array and object", "[]", "{}", false);
        row("whitespace around a value", " \"a\"\n", "\"a\"", true);
        row("invalid on both sides", "1.", "1.", false);
        row("invalid on one side", "1", "01", false);
        row("empty", "", "", false);
    }

    void valuesEqual()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(bool, equal);
        QCOMPARE(jsonValuesEqual(view(a), view(b)), equal);
        QCOMPARE(jsonValuesEqual(view(b), view(a)), equal);
    }

    void extractors_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<QByteArray>("expression");
        QTest::addColumn<bool>("found");
        QTest::addColumn<QByteArray>("value");
        const auto row = [](const char* name, ExtractFrom from, const char* expression, const char* value) {
            QTest::newRow(name) << int(from) << QByteArray(expression) << true << QByteArray(value);
        };
        const auto absent = [](const char* name, ExtractFrom from, const char* expression) {
            QTest::newRow(name) << int(from) << QByteArray(expression) << false << QByteArray();
        };
        row("pointer to a number", ExtractFrom::JsonPointer, "/id", "42");
        row("path into an array", ExtractFrom::JsonPointer, "$.items[1].sku", "B2");
        row("string decoded", ExtractFrom::JsonPointer, "/name", "caf\xc3\xa9");
        row("array as JSON text", ExtractFrom::JsonPointer, "/items", "[{\"sku\":\"A1\"},{\"sku\":\"B2\"}]");
        absent("absent member", ExtractFrom::JsonPointer, "/missing");
        absent("index out of range", ExtractFrom::JsonPointer, "$.items[2]");
        row("regex group 1", ExtractFrom::Regex, "\"token\":\"([^\"]+)\"", "tok-9f3");
        row("regex without a group takes the whole match", ExtractFrom::Regex, "tok-[0-9a-f]+", "tok-9f3");
        row("regex first match, group 1 only", ExtractFrom::Regex, "\"sku\":\"(\\w)(\\d)\"", "A");
        absent("regex without a match", ExtractFrom::Regex, "nomatch\\d+");
        absent("regex whose group 1 took no part", ExtractFrom::Regex, "\"id\":(x)?42");
        row("header by another case, first occurrence", ExtractFrom::Header, "X-REQUEST-ID", "abc-123");
        row("header in lower case", ExtractFrom::Header, "content-type", "application/json");
        absent("absent header", ExtractFrom::Header, "X-Missing");
        row("status", ExtractFrom::Status, "", "201");
    }

    void extractors()
    {
        QFETCH(int, from);
        QFETCH(QByteArray, expression);
        QFETCH(bool, found);
        QFETCH(QByteArray, value);
        const Extractor extractor{"v", ExtractFrom(from), expression.toStdString()};
        std::string error;
        const auto compiled = CompiledExtractor::compile(extractor, &error);
        QVERIFY2(compiled, error.c_str());
        QVERIFY(compiled->variable() == "v");
        const ResponseView response{201, kExtractHeaders, kExtractBody};
        const QByteArray untouched = "value from an earlier step";
        std::string extracted = untouched.toStdString();
        QCOMPARE(compiled->apply(response, extracted), found);
        QCOMPARE(bytes(extracted), found ? value : untouched);
    }

    void extractorOnABodyThatIsNotJson()
    {
        const auto pointer = CompiledExtractor::compile({"v", ExtractFrom::JsonPointer, "/id"}, nullptr);
        const auto regex = CompiledExtractor::compile({"v", ExtractFrom::Regex, "id=(\\d+)"}, nullptr);
        QVERIFY(pointer && regex);
        const ResponseView html{200, {}, "<p>id=42</p>"};
        std::string value;
        QVERIFY(!pointer->apply(html, value));
        QVERIFY(regex->apply(html, value));
        QCOMPARE(bytes(value), QByteArray("42"));
        const ResponseView json{200, {}, "{\"id\": 42}"};
        QVERIFY(pointer->apply(json, value));
        QVERIFY(!regex->apply(json, value));
    }

    void extractorErrors_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<QByteArray>("expression");
        QTest::addColumn<QByteArray>("errorMentions");
        const auto row = [](const char* name, ExtractFrom from, const char* expression, const char* mentions) {
            QTest::newRow(name) << int(from) << QByteArray(expression) << QByteArray(mentions);
        };
        row("regex that does not compile", ExtractFrom::Regex, "(unclosed", "does not compile");
        row("empty regex", ExtractFrom::Regex, "", "regular expression");
        row("recursive JSON path", ExtractFrom::JsonPointer, "$..id", "recursive");
        row("wildcard JSON path", ExtractFrom::JsonPointer, "$.items[*].id", "wildcard");
        row("bad pointer escape", ExtractFrom::JsonPointer, "/a~", "~");
        row("empty header name", ExtractFrom::Header, "", "header's name");
        row("header name with a colon", ExtractFrom::Header, "Content-Type:", "not a header name");
        row("header name with a space", ExtractFrom::Header, "X Id", "not a header name");
    }

    void extractorErrors()
    {
        QFETCH(int, from);
        QFETCH(QByteArray, expression);
        QFETCH(QByteArray, errorMentions);
        std::string error;
        QVERIFY(!CompiledExtractor::compile({"v", ExtractFrom(from), expression.toStdString()}, &error));
        QVERIFY2(error.find(view(errorMentions)) != std::string::npos, error.c_str());
    }

    void checks_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("statuses");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("pointer");
        QTest::addColumn<QByteArray>("expected");
        QTest::addColumn<bool>("passes");
        QTest::addColumn<QByteArray>("description");
        const auto status = [](const char* name, const char* statuses, bool passes, const char* description) {
            QTest::newRow(name) << int(CheckKind::StatusIn) << QString::fromLatin1(statuses) << QByteArray()
                                << QByteArray() << QByteArray() << passes << QByteArray(description);
        };
        const auto contains = [](const char* name, const char* text, bool passes, const char* description) {
            QTest::newRow(name) << int(CheckKind::BodyContains) << QString() << QByteArray(text) << QByteArray()
                                << QByteArray() << passes << QByteArray(description);
        };
        const auto equals = [](const char* name, const char* pointer, const char* expected, bool passes,
                               const char* description) {
            QTest::newRow(name) << int(CheckKind::JsonEquals) << QString() << QByteArray() << QByteArray(pointer)
                                << QByteArray(expected) << passes << QByteArray(description);
        };
        status("status listed", "200,201", true, "status in {200, 201}");
        status("status not listed", "404,500", false, "status in {404, 500}");
        contains("body contains", "\"name\":\"ann\"", true, "body contains \"\\\"name\\\":\\\"ann\\\"\"");
        contains("body lacks", "bob", false, "body contains \"bob\"");
        contains("control characters escaped in the description", "a\nb", false, "body contains \"a\\nb\"");
        equals("number", "/id", "42", true, "/id == 42");
        equals("number spelt otherwise", "/id", "4.2e1", true, "/id == 4.2e1");
        equals("number that differs", "/price", "9.50001", false, "/price == 9.50001");
        equals("string against a number", "/id", "\"42\"", false, "/id == \"42\"");
        equals("JSON path", "$.tags[1]", "\"b\"", true, "$.tags[1] == \"b\"");
        equals("escaped string", "/name", "\"\\u0061nn\"", true, "/name == \"\\u0061nn\"");
        equals("literal with whitespace around it", "/ok", " true\n", true, "/ok == true");
        equals("array with other whitespace", "/tags", "[ \"a\", \"b\" ]", true, "/tags == [ \"a\", \"b\" ]");
        equals("absent member", "/missing", "null", false, "/missing == null");
    }

    void checks()
    {
        QFETCH(int, kind);
        QFETCH(QString, statuses);
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, pointer);
        QFETCH(QByteArray, expected);
        QFETCH(bool, passes);
        QFETCH(QByteArray, description);
        Check check;
        check.kind = CheckKind(kind);
        check.statuses = parseStatuses(statuses);
        check.text = text.toStdString();
        check.pointer = pointer.toStdString();
        check.expected = expected.toStdString();
        std::string error;
        const auto compiled = CompiledCheck::compile(check, &error);
        QVERIFY2(compiled, error.c_str());
        QCOMPARE(int(compiled->kind()), kind);
        const ResponseView response{200, {}, kCheckBody};
        QCOMPARE(compiled->passes(response), passes);
        QCOMPARE(bytes(compiled->describe()), description);
    }

    void checksAgainstOtherResponses()
    {
        Check okStatus;
        okStatus.statuses = {200, 204};
        Check contains;
        contains.kind = CheckKind::BodyContains;
        contains.text = "ok";
        Check idIs7;
        idIs7.kind = CheckKind::JsonEquals;
        idIs7.pointer = "/id";
        idIs7.expected = "7";
        const auto status = CompiledCheck::compile(okStatus, nullptr);
        const auto body = CompiledCheck::compile(contains, nullptr);
        const auto json = CompiledCheck::compile(idIs7, nullptr);
        QVERIFY(status && body && json);

        QVERIFY(status->passes({204, {}, ""}));
        QVERIFY(!status->passes({500, {}, ""}));
        QVERIFY(!status->passes({0, {}, ""}));
        QVERIFY(body->passes({200, {}, "all ok"}));
        QVERIFY(!body->passes({200, {}, ""}));
        QVERIFY(json->passes({200, {}, "{\"id\":7}"}));
        QVERIFY(json->passes({200, {}, "{\"id\":7.0,\"x\":[]}"}));
        QVERIFY(!json->passes({200, {}, "{\"id\":8}"}));
        QVERIFY(!json->passes({200, {}, "{\"id\":7,"})); // cut short: not JSON, not passed
        QVERIFY(!json->passes({200, {}, "<html>id 7</html>"}));
    }

    void checkErrors_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("statuses");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("pointer");
        QTest::addColumn<QByteArray>("expected");
        QTest::addColumn<QByteArray>("errorMentions");
        const auto row = [](const char* name, CheckKind kind, const char* statuses, const char* text,
                            const char* pointer, const char* expected, const char* mentions) {
            QTest::newRow(name) << int(kind) << QString::fromLatin1(statuses) << QByteArray(text) << QByteArray(pointer)
                                << QByteArray(expected) << QByteArray(mentions);
        };
        row("no status", CheckKind::StatusIn, "", "", "", "", "at least one status");
        row("status above 599", CheckKind::StatusIn, "200,600", "", "", "", "600");
        row("status below 100", CheckKind::StatusIn, "99", "", "", "", "99");
        row("nothing to look for", CheckKind::BodyContains, "", "", "", "", "text to look for");
        row("recursive JSON path", CheckKind::JsonEquals, "", "", "$..id", "1", "recursive");
        row("bare word expected", CheckKind::JsonEquals, "", "", "/id", "abc", "not JSON");
        row("empty expected", CheckKind::JsonEquals, "", "", "/id", "", "not JSON");
        row("cut expected", CheckKind::JsonEquals, "", "", "/id", "{\"a\":", "not JSON");
        row("two values expected", CheckKind::JsonEquals, "", "", "/id", "1 2", "not JSON");
    }

    void checkErrors()
    {
        QFETCH(int, kind);
        QFETCH(QString, statuses);
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, pointer);
        QFETCH(QByteArray, expected);
        QFETCH(QByteArray, errorMentions);
        Check check;
        check.kind = CheckKind(kind);
        check.statuses = parseStatuses(statuses);
        check.text = text.toStdString();
        check.pointer = pointer.toStdString();
        check.expected = expected.toStdString();
        std::string error;
        QVERIFY(!CompiledCheck::compile(check, &error));
        QVERIFY2(error.find(view(errorMentions)) != std::string::npos, error.c_str());
    }
};

QTEST_APPLESS_MAIN(TestScenarioRules)
#include "tst_scenario_rules.moc"
