# cmake -DPROGRAM=exe -DNAME=name -DOUT=file.1 -DHELP2MAN=help2man -DGZIP=gzip -DINCLUDE=file.h2m -P ManPage.cmake
# Writes OUT.gz: help2man over `PROGRAM --help` and the first line of `--version`, with INCLUDE's sections and, for a
# program whose --help lists "Subcommands:", a COMMANDS section holding each command's --help.
# Runs without a display (the GUI then parses its options without starting a platform plugin).
set(include_file ${OUT}.h2m)
file(READ ${INCLUDE} text)
set(env ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY --unset=QT_QPA_PLATFORM)
execute_process(COMMAND ${env} ${PROGRAM} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} --help failed (${rc})")
endif()
string(REGEX MATCH "[Ss][Uu][Bb][Cc][Oo][Mm][Mm][Aa][Nn][Dd][Ss]:\n(.*)" commands_block "${help}")
if(commands_block)
  string(APPEND text "\n[COMMANDS]\n")
  string(REPLACE "\n" ";" lines "${CMAKE_MATCH_1}")
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "^  ([a-z][a-z0-9-]*) ")
      continue()
    endif()
    set(command ${CMAKE_MATCH_1})
    execute_process(COMMAND ${env} ${PROGRAM} ${command} --help OUTPUT_VARIABLE sub RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${PROGRAM} ${command} --help failed (${rc})")
    endif()
    # roff: escape backslashes; a line must not start with '.' or '\''.
    string(REPLACE "\\" "\\e" sub "${sub}")
    string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" sub "${sub}")
    string(APPEND text ".SS ${command}\n.nf\n${sub}.fi\n")
  endforeach()
endif()
file(WRITE ${include_file} "${text}")
# Only the first line of --version ("<name> <version> (<commit>)"): help2man would copy the
# rest (library versions, the folders this copy uses) into the page.
execute_process(COMMAND ${env} ${PROGRAM} --version OUTPUT_VARIABLE version RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT version MATCHES "^${NAME} ([^\n]+)")
  message(FATAL_ERROR "${PROGRAM} --version failed (${rc}): ${version}")
endif()
execute_process(COMMAND ${env} ${HELP2MAN} --no-info --no-discard-stderr --include=${include_file}
  "--version-string=${NAME} ${CMAKE_MATCH_1}" --output=${OUT} ${PROGRAM}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man ${PROGRAM} failed (${rc})")
endif()
# The man page names the program, not the build tree it was generated from.
file(READ ${OUT} page)
get_filename_component(program_dir ${PROGRAM} DIRECTORY)
string(REPLACE "${program_dir}/" "" page "${page}")
file(WRITE ${OUT} "${page}")
execute_process(COMMAND ${GZIP} -9nf ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip ${OUT} failed (${rc})")
endif()
