# `cmake --install` (and CPack's .deb, cmake/Packaging.cmake): both programs, the example
# projects and the Iris data, the docs, a desktop entry, the icon (SVG + PNG sizes), AppStream
# metadata and man pages. Layout under the prefix (GNUInstallDirs):
#   bin/checkpointlab, bin/checkpointlab-cli
#   share/checkpointlab/examples/*.json, share/checkpointlab/data/{iris.csv,README.md}
#   share/doc/checkpointlab/ (README.md, docs/*, copyright, changelog.gz)
#   share/applications/org.checkpointlab.CheckpointLab.desktop
#   share/metainfo/org.checkpointlab.CheckpointLab.metainfo.xml
#   share/icons/hicolor/{scalable,NxN}/apps/checkpointlab.{svg,png}
#   share/man/man1/checkpointlab{,-cli}.1.gz
# The programs find share/ relative to their own folder (<exe>/../share), so any prefix works.

include(GNUInstallDirs)
# Debian's rule: the docs of package P are in share/doc/P; GNUInstallDirs' default says
# CheckpointLab (PROJECT_NAME). A DOCDIR given with -DCMAKE_INSTALL_DOCDIR=... is kept.
if(CMAKE_INSTALL_DOCDIR STREQUAL "${CMAKE_INSTALL_DATAROOTDIR}/doc/${PROJECT_NAME}")
  set(CMAKE_INSTALL_DOCDIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/checkpointlab)
endif()
set(CKLAB_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/checkpointlab)
set(CKLAB_APP_ID org.checkpointlab.CheckpointLab)
set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# No RUNPATH: qt_standard_project_setup() sets $ORIGIN:$ORIGIN/../lib, but the programs link only
# system libraries (and a RUNPATH in /usr/bin is an error for lintian).
set_target_properties(checkpointlab-cli PROPERTIES INSTALL_RPATH "")
install(TARGETS checkpointlab-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET checkpointlab)
  set_target_properties(checkpointlab PROPERTIES INSTALL_RPATH "")
  install(TARGETS checkpointlab RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

file(GLOB CKLAB_INSTALL_EXAMPLES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/resources/examples/*.json)
install(FILES ${CKLAB_INSTALL_EXAMPLES} DESTINATION ${CKLAB_INSTALL_DATADIR}/examples)
install(FILES ${PROJECT_SOURCE_DIR}/resources/data/iris.csv ${PROJECT_SOURCE_DIR}/resources/data/README.md
  DESTINATION ${CKLAB_INSTALL_DATADIR}/data)

file(GLOB CKLAB_INSTALL_DOCS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/docs/*.md ${PROJECT_SOURCE_DIR}/docs/*.png)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/resources/linux/copyright
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CKLAB_INSTALL_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)

find_program(CKLAB_GZIP gzip)
set(CKLAB_INSTALL_GENERATED ${PROJECT_BINARY_DIR}/install-generated)
set(CKLAB_INSTALL_OUTPUTS "")

# changelog.gz (Debian changelog format: lintian reads it; the date honours SOURCE_DATE_EPOCH).
string(TIMESTAMP CKLAB_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file(${PROJECT_SOURCE_DIR}/resources/linux/changelog.in ${CKLAB_INSTALL_GENERATED}/changelog @ONLY)
if(CKLAB_GZIP)
  add_custom_command(OUTPUT ${CKLAB_INSTALL_GENERATED}/changelog.gz
    COMMAND ${CKLAB_GZIP} -9nc ${CKLAB_INSTALL_GENERATED}/changelog > ${CKLAB_INSTALL_GENERATED}/changelog.gz
    DEPENDS ${CKLAB_INSTALL_GENERATED}/changelog VERBATIM)
  list(APPEND CKLAB_INSTALL_OUTPUTS ${CKLAB_INSTALL_GENERATED}/changelog.gz)
  install(FILES ${CKLAB_INSTALL_GENERATED}/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()

if(TARGET checkpointlab)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/linux/${CKLAB_APP_ID}.desktop
    DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/linux/${CKLAB_APP_ID}.metainfo.xml
    DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/checkpointlab.svg
    DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
  # PNG sizes rendered from the SVG at build time; without rsvg-convert only the SVG is installed.
  find_program(CKLAB_RSVG_CONVERT rsvg-convert)
  if(CKLAB_RSVG_CONVERT)
    foreach(size IN ITEMS 16 24 32 48 64 128 256 512)
      set(png ${CKLAB_INSTALL_GENERATED}/icons/${size}x${size}/checkpointlab.png)
      add_custom_command(OUTPUT ${png}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CKLAB_INSTALL_GENERATED}/icons/${size}x${size}
        COMMAND ${CKLAB_RSVG_CONVERT} -w ${size} -h ${size} -o ${png} ${PROJECT_SOURCE_DIR}/resources/icons/checkpointlab.svg
        DEPENDS ${PROJECT_SOURCE_DIR}/resources/icons/checkpointlab.svg VERBATIM)
      list(APPEND CKLAB_INSTALL_OUTPUTS ${png})
      install(FILES ${png} DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
  else()
    message(STATUS "rsvg-convert not found: installing the SVG icon only (apt-get install librsvg2-bin)")
  endif()
endif()

# Man pages from the programs' own --help and --version (help2man), so they cannot go stale.
find_program(CKLAB_HELP2MAN help2man)
if(CKLAB_HELP2MAN AND CKLAB_GZIP)
  set(CKLAB_MAN_PROGRAMS checkpointlab-cli)
  if(TARGET checkpointlab)
    list(APPEND CKLAB_MAN_PROGRAMS checkpointlab)
  endif()
  foreach(program IN LISTS CKLAB_MAN_PROGRAMS)
    set(man ${CKLAB_INSTALL_GENERATED}/man/${program}.1)
    add_custom_command(OUTPUT ${man}.gz
      COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:${program}> -DNAME=${program} -DOUT=${man}
              -DHELP2MAN=${CKLAB_HELP2MAN} -DGZIP=${CKLAB_GZIP}
              -DINCLUDE=${PROJECT_SOURCE_DIR}/resources/linux/${program}.h2m
              -P ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake
      DEPENDS ${program} ${PROJECT_SOURCE_DIR}/cmake/ManPage.cmake ${PROJECT_SOURCE_DIR}/resources/linux/${program}.h2m
      COMMENT "Man page ${program}.1 (help2man)" VERBATIM)
    list(APPEND CKLAB_INSTALL_OUTPUTS ${man}.gz)
    install(FILES ${man}.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endforeach()
else()
  message(STATUS "help2man or gzip not found: no man pages (apt-get install help2man)")
endif()

add_custom_target(cklab_install_files ALL DEPENDS ${CKLAB_INSTALL_OUTPUTS})
