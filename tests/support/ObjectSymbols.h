#pragma once
// The code symbols an object file defines, read with `nm`, for the tests that check the AVX
// kernel objects keep their inline code to themselves (TestMatMul, TestKernelsIsa): a weak
// symbol of an AVX object could be picked by the linker for the whole program and then run on a
// CPU without AVX.
#include <QByteArray>
#include <QList>
#include <QProcess>
#include <QString>
#include <optional>

namespace cklab::test {

struct DefinedSymbol {
    QByteArray type;  ///< nm's letter: T code, W/w weak code, u unique global, V/v weak data...
    QByteArray name;  ///< demangled
};

/// Every symbol `object` defines, or nullopt when nm is not available.
inline std::optional<QList<DefinedSymbol>> definedSymbols(const QString& object)
{
    QProcess nm;
    nm.start(QStringLiteral("nm"), {QStringLiteral("-C"), QStringLiteral("--defined-only"), object});
    if (!nm.waitForFinished(30000) || nm.exitCode() != 0)
        return std::nullopt;
    QList<DefinedSymbol> symbols;
    for (const QByteArray& line : nm.readAllStandardOutput().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        if (fields.size() < 3)
            continue;
        const QByteArray type = fields[1];
        symbols.push_back({type, line.mid(line.indexOf(type + ' ') + type.size() + 1)});
    }
    return symbols;
}

/// Weak code that the linker may share between objects. Weak data (V/v: typeinfo a sanitizer
/// build emits, the personality pointer) holds no instructions. Two helpers clang emits hold no
/// vector code either: the out-of-line std::bad_alloc constructor (Eigen's allocation failure,
/// one vtable store) and __clang_call_terminate (a noexcept function's exception path: begin
/// catch, std::terminate).
inline bool isSharedWeakCode(const DefinedSymbol& symbol)
{
    if (symbol.type != "W" && symbol.type != "w" && symbol.type != "u")
        return false;
    return symbol.name != "std::bad_alloc::bad_alloc()" && symbol.name != "__clang_call_terminate";
}

/// The shared weak code (isSharedWeakCode) among `symbols` whose name does not contain
/// `privateName` (a variant's renamed Eigen namespace): what an AVX object must not define.
inline QList<QByteArray> sharedWeakCodeOutside(const QList<DefinedSymbol>& symbols, const QByteArray& privateName)
{
    QList<QByteArray> outside;
    for (const DefinedSymbol& symbol : symbols)
        if (isSharedWeakCode(symbol) && !symbol.name.contains(privateName))
            outside.push_back(symbol.name);
    return outside;
}

} // namespace cklab::test
