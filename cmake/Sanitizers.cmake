# -DCKLAB_SANITIZE=address,undefined (or thread) instruments every target of the build.
if(CKLAB_SANITIZE)
  add_compile_options(-fsanitize=${CKLAB_SANITIZE} -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${CKLAB_SANITIZE})
endif()
