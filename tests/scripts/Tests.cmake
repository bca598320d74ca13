# Scripted tests. Included by tests/CMakeLists.txt; append new blocks, keep existing ones.

# --- Keras layout check (IO): a C++ helper writes .weights.h5 / .keras / .h5 plus inputs and our
# predictions; keras_layout_check.py re-reads them with h5py/zipfile, checks the exact Keras layout
# and recomputes the forward pass in numpy.
add_executable(cklab_write_keras_fixtures ${CMAKE_CURRENT_LIST_DIR}/write_keras_fixtures.cpp)
target_link_libraries(cklab_write_keras_fixtures PRIVATE cklab_core cklab_warnings)
# Debian's python3-h5py/python3-numpy belong to /usr/bin/python3; a pyenv/venv python3 earlier on
# PATH usually lacks them, so prefer the system interpreter.
find_program(CKLAB_SYSTEM_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(CKLAB_SYSTEM_PYTHON3)
  set(Python3_EXECUTABLE ${CKLAB_SYSTEM_PYTHON3})
  set(Python3_Interpreter_FOUND TRUE)
else()
  find_package(Python3 COMPONENTS Interpreter)
endif()
if(Python3_Interpreter_FOUND)
  set(CKLAB_KERAS_FIXTURES ${CMAKE_CURRENT_BINARY_DIR}/keras_fixtures)
  add_test(NAME keras_fixtures_write COMMAND cklab_write_keras_fixtures ${CKLAB_KERAS_FIXTURES})
  set_tests_properties(keras_fixtures_write PROPERTIES LABELS core FIXTURES_SETUP keras_fixtures)
  add_test(NAME keras_layout_check
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/keras_layout_check.py ${CKLAB_KERAS_FIXTURES})
  set_tests_properties(keras_layout_check PROPERTIES LABELS core FIXTURES_REQUIRED keras_fixtures)
  # The same with data.standardize: a leading Normalization layer (issue 15).
  add_test(NAME keras_fixtures_write_normalized
    COMMAND cklab_write_keras_fixtures ${CKLAB_KERAS_FIXTURES}_normalized --normalized)
  set_tests_properties(keras_fixtures_write_normalized PROPERTIES LABELS core FIXTURES_SETUP keras_fixtures_normalized)
  add_test(NAME keras_layout_check_normalized
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/keras_layout_check.py ${CKLAB_KERAS_FIXTURES}_normalized)
  set_tests_properties(keras_layout_check_normalized PROPERTIES LABELS core FIXTURES_REQUIRED keras_fixtures_normalized)
  # A convnet on images (issue 17): Conv2D, pooling, BatchNormalization, Flatten.
  add_test(NAME keras_fixtures_write_conv COMMAND cklab_write_keras_fixtures ${CKLAB_KERAS_FIXTURES}_conv --conv)
  set_tests_properties(keras_fixtures_write_conv PROPERTIES LABELS core FIXTURES_SETUP keras_fixtures_conv)
  add_test(NAME keras_layout_check_conv
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/keras_layout_check.py ${CKLAB_KERAS_FIXTURES}_conv)
  set_tests_properties(keras_layout_check_conv PROPERTIES LABELS core FIXTURES_REQUIRED keras_fixtures_conv)
endif()

# --- Kill tests (HARDEN): SIGKILL `checkpointlab-cli run` while it saves after every batch; every
# final-name checkpoint must stay readable, stale temps are cleaned by the next run, and a run
# resumed with BackupAndRestore ends with the weights of an uninterrupted run. Plain Python 3.
find_program(CKLAB_KILL_TEST_PYTHON NAMES python3)
if(CKLAB_KILL_TEST_PYTHON)
  foreach(scenario IN ITEMS weights keras resume)
    add_test(NAME kill_test_${scenario}
      COMMAND ${CKLAB_KILL_TEST_PYTHON} ${CMAKE_CURRENT_LIST_DIR}/kill_test.py $<TARGET_FILE:checkpointlab-cli>
              ${CMAKE_CURRENT_BINARY_DIR}/kill_test --scenario ${scenario} --kills 17)
    set_tests_properties(kill_test_${scenario} PROPERTIES LABELS core TIMEOUT 300)
  endforeach()
endif()

# --- Install tree (issue 18): `cmake --install` into build/tests/install-tree/prefix, then both
# installed programs run from there in another folder (CLI run of the examples; GUI --version,
# --help offscreen; on a private X server an example opened, one trained with Ctrl+R, its run
# folder opened: scripts/xsession.sh). Needs the whole build.
set(CKLAB_INSTALL_TEST_GUI "")
if(CKLAB_BUILD_GUI)
  set(CKLAB_INSTALL_TEST_GUI gui)
endif()
add_test(NAME install_tree
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/install_tree_test.sh ${PROJECT_BINARY_DIR}
          ${CMAKE_CURRENT_BINARY_DIR}/install-tree ${CKLAB_INSTALL_TEST_GUI})
set_tests_properties(install_tree PROPERTIES LABELS install TIMEOUT 300 RUN_SERIAL TRUE)
