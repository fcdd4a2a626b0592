// SPDX-License-Identifier: Apache-2.0
#pragma once

// In a header of its own: moc reads this, never tst_import.cpp, whose test data (raw strings holding
// quotes, backslashes and ")") its lexer cannot follow.
#include <QObject>

class TestImport : public QObject {
    Q_OBJECT

private slots:
    void yamlScalarsFollowTheCoreSchema_data();
    void yamlScalarsFollowTheCoreSchema();
    void yamlSpecialFloatsAndLongIntegers();
    void yamlAnchorsAndAliasesAreResolved();
    void yamlAliasBombIsRefused();
    void yamlErrorsNameLineAndColumn_data();
    void yamlErrorsNameLineAndColumn();
    void yamlPetstoreEqualsItsJson();

    void harKeepsThePageRequestsOfItsServer();
    void harIncludeStaticKeepsTheAssetsOfThePageServer();
    void harLeavesOutRequestsHoldingBraces();
    void harRefusesTextThatIsNoHar();

    void openApiPetstoreCallsEveryOperation();
    void openApiFollowsRefsSecurityAndSkips();
    void openApiRefusesSwagger2();
    void openApiReadsJsonAndYamlFiles();

    void postmanKeepsFoldersVariablesAndAuth();
    void postmanRewritesTemplatesAndRefusesWhatHasNoEquivalent();
    void postmanRefusesVersion1();

    void importsSurviveTheScenarioFile();
    void harImportRuns();
    void openApiImportRuns();
    void postmanImportRuns();
};
