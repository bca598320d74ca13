# CPack: a Debian package of what cmake/Install.cmake installs (`cpack -G DEB` in the build dir,
# or scripts/package-deb.sh). Dependencies come from dpkg-shlibdeps over the installed programs.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME checkpointlab)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "CheckpointLab Developers")
set(CPACK_PACKAGE_CONTACT "CheckpointLab Developers <dev@checkpointlab.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "neural network training workbench with checkpoint policies")
# The extended description only: CPack puts the summary above it as the synopsis.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "CheckpointLab trains small neural networks with a hand-written training loop
where checkpoint policies are first-class: configure Keras-style
ModelCheckpoint policies, watch every save on the live curves, read every
decision in the event log and compare policies on the same run.
.
This package contains the Qt desktop program checkpointlab, the headless
command-line tool checkpointlab-cli, the example projects and the Iris data.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS ${CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_SOURCE_IGNORE_FILES "/build.*/" "/\\\\.git/")
include(CPack)
