#pragma once
/// What every read of an HDF5 file from outside goes through (checkpoints in core/io, data
/// files in core/data): the bytes we load must be inside the file itself, and one file may not
/// make us allocate more than a bound in total. libhdf5 follows external links, external
/// storage (H5Pset_external) and virtual datasets on any read, so without these checks a
/// crafted checkpoint loads the bytes of any file the user can read as weights — and the
/// next save copies them into a new checkpoint (docs/hardening.md, issue 16 item 2).
/// Failures throw h5::H5Failure(object path, cause); the callers name the file.
#include <string>

#include <hdf5.h>

namespace cklab::h5 {

/// Replaces libhdf5's external-link class with one whose traversal fails, process-wide and
/// once (idempotent, cheap after the first call): a link we did not check can still never open
/// another file. External links can still be created and queried (tests craft them).
void refuseExternalLinkTraversal();

/// Throws unless every link on `relativePath` below `loc` ("layers/dense/vars/0") that exists
/// is a hard link; an external link says which file and object it names. Soft links are
/// refused too unless `allowSoftLinks` (Keras never writes them; data files may use them, and
/// a soft link cannot leave the file).
void checkLinksInsideFile(hid_t loc, const std::string& relativePath, const std::string& objectPath,
                          bool allowSoftLinks = false);

/// Throws unless the open dataset `set` keeps its bytes in this file: refuses external storage
/// ("keeps its data in an external file (secret.bin); ..."), virtual datasets and unknown layouts.
void checkDataInsideFile(hid_t set, const std::string& objectPath);

/// Most elements all datasets read from one file may declare together (1 GiB of float32):
/// each is bounded by kMaxDatasetElements, but compressed chunks are small in the file.
constexpr hsize_t kMaxFileElements = hsize_t{1} << 28;

/// While one exists on a thread, readFloats() (and the HDF5 data reader) charge what they are
/// about to allocate to it and throw past its limit. Scopes nest: what an inner one (the
/// weights inside a .keras archive) is charged counts against every enclosing one as well.
class ReadBudget {
public:
    explicit ReadBudget(hsize_t maxElements = kMaxFileElements);
    ~ReadBudget();
    ReadBudget(const ReadBudget&) = delete;
    ReadBudget& operator=(const ReadBudget&) = delete;

    /// Adds `elements` read at `objectPath` to the current thread's budgets, if any; throws
    /// H5Failure when a total would exceed its limit.
    static void charge(hsize_t elements, const std::string& objectPath);

private:
    hsize_t m_limit;
    hsize_t m_used = 0;
    ReadBudget* m_outer;
};

} // namespace cklab::h5
