#pragma once
// Runs the built checkpointlab-cli for the end-to-end tests (TestCli, TestCliEvents) and reads
// what it wrote.
#include <QFile>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

#include <vector>

#include <nlohmann/json.hpp>

namespace cklab::test {

inline QString cliPath()
{
    return QStringLiteral(CKLAB_BINARY_DIR "/app/checkpointlab-cli");
}

struct CliResult {
    int exitCode = -1;
    QString out;
    QString err;
};

inline CliResult runCli(const QStringList& args, const QString& workDir)
{
    QProcess p;
    p.setWorkingDirectory(workDir);
    p.start(cliPath(), args);
    if (!p.waitForFinished(300000))
        return {};
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

inline void writeFile(const QString& path, const QByteArray& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

inline std::vector<nlohmann::json> jsonLines(const QString& text)
{
    std::vector<nlohmann::json> out;
    for (const QString& line : text.split('\n', Qt::SkipEmptyParts))
        out.push_back(nlohmann::json::parse(line.toStdString()));
    return out;
}

inline QString readAll(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.readAll());
}

} // namespace cklab::test
