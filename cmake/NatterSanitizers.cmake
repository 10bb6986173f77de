# NATTER_SANITIZE: build everything with GCC/Clang sanitizers, for `make test-asan` / `make test-tsan`.
# A comma-separated -fsanitize list, e.g. "address,undefined" or "thread"; empty (the default) builds plainly.
set(NATTER_SANITIZE "" CACHE STRING "Sanitizers to build with (-fsanitize=...), e.g. address,undefined or thread")

if(NATTER_SANITIZE)
  if(NATTER_SANITIZE MATCHES "thread" AND NATTER_SANITIZE MATCHES "address")
    message(FATAL_ERROR "NATTER_SANITIZE: thread cannot be combined with address")
  endif()
  message(STATUS "Sanitizers: ${NATTER_SANITIZE}")
  # Frame pointers give readable stacks; -O1 keeps the instrumented build tolerably fast to run.
  # -g1 (line tables) is all a report's file:line needs; full -g costs a third more compile time
  # on the instrumented Beast and Boost.JSON code (frame_codec.cpp: 17.1 s -> 11.5 s CPU).
  add_compile_options(-fsanitize=${NATTER_SANITIZE} -fno-omit-frame-pointer -O1 -g1)
  add_link_options(-fsanitize=${NATTER_SANITIZE})
endif()
