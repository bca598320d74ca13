# The example projects of resources/examples/ compiled into cklab_core, so the CLI finds them
# without the GUI's Qt resources. One copy of each text: the file itself. At build time
# cmake/EmbedExamplesScript.cmake writes the entries of ShippedExamples.cpp's table to
# <build>/generated/core/project/ShippedExamplesData.inc; editing an example rebuilds it.
function(cklab_embed_examples target)
  file(GLOB examples CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/resources/examples/*.json)
  set(out_dir ${CMAKE_BINARY_DIR}/generated)
  set(out ${out_dir}/core/project/ShippedExamplesData.inc)
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DEXAMPLES_DIR=${PROJECT_SOURCE_DIR}/resources/examples
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedExamplesScript.cmake
    DEPENDS ${examples} ${PROJECT_SOURCE_DIR}/cmake/EmbedExamplesScript.cmake
    COMMENT "Embedding resources/examples/*.json")
  target_sources(${target} PRIVATE ${out})
  target_include_directories(${target} PRIVATE ${out_dir})
endfunction()
