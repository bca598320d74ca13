#pragma once
/// Keras' CSVLogger (spec §8): one row per epoch, header `epoch` + the first epoch's log keys
/// sorted (plus `val_<key>` columns when the first epoch had no validation keys, as Keras),
/// missing values "NA", numbers as Python's repr of a float, rows ended by "\r\n" (Python's csv
/// module). `append` keeps an existing file and writes the header only if it is empty.
///
/// The file is opened at the first epoch end (Keras: at train begin) so that a resumed run
/// (restoreState) can cut the file back to the rows of the backup and continue it.
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/train/Callback.h"

namespace cklab {

class CsvLogger : public Callback {
public:
    explicit CsvLogger(std::string filename, std::string separator = ",", bool append = false);

    const std::string& filename() const { return m_filename; }
    /// Column keys after `epoch` (empty until the first row).
    const std::vector<std::string>& keys() const { return m_keys; }

    std::string stateKey() const override { return "csv_logger"; }
    nlohmann::json state() const override;
    void restoreState(const nlohmann::json& state) override;

protected:
    void trainBegin(Logs& logs) override;
    void epochEnd(int epoch, Logs& logs) override;
    void trainEnd(Logs& logs) override;

private:
    void open();
    void checkStillThere() const;

    std::string m_filename;
    std::string m_separator;
    bool m_append;
    std::ofstream m_file;
    std::vector<std::string> m_keys;
    bool m_writeHeader = true;
    std::int64_t m_bytes = 0;                 // file size after the last complete row
    std::optional<std::int64_t> m_resumeAt;   // restoreState: cut the file here and append
    std::optional<std::pair<std::uint64_t, std::uint64_t>> m_identity; // (device, inode) opened
};

} // namespace cklab
