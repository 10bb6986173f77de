# The libFuzzer build (`make fuzz`, configured with CXX=clang++): ASan + UBSan everywhere, and
# the protocol library, Boost.JSON and the few server sources the targets reach compiled here
# with coverage instrumentation, so the fuzzer is guided through the parsers themselves.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "the fuzz build needs clang (libFuzzer): configure with CXX=clang++")
endif()
get_filename_component(NATTER_ROOT ${CMAKE_CURRENT_SOURCE_DIR}/../.. ABSOLUTE)

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

find_package(Boost 1.81.0 EXACT REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Threads REQUIRED)
find_package(spdlog REQUIRED)

set(NATTER_SANITIZERS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
add_compile_options(-g -O1 ${NATTER_SANITIZERS} -fsanitize=fuzzer-no-link)
add_link_options(${NATTER_SANITIZERS})

# Boost.JSON from its sources, standing in for the packaged library common/protocol links.
add_library(natter_fuzz_boost_json STATIC boost_json_src.cpp)
target_link_libraries(natter_fuzz_boost_json PUBLIC Boost::headers)
target_compile_definitions(natter_fuzz_boost_json PUBLIC BOOST_JSON_NO_LIB)
add_library(Boost::json INTERFACE IMPORTED)
set_target_properties(Boost::json PROPERTIES INTERFACE_LINK_LIBRARIES natter_fuzz_boost_json)

add_subdirectory(${NATTER_ROOT}/common/protocol protocol)
# common/protocol names its include directory from the main project; this project is tests/fuzz.
target_include_directories(natter_protocol PUBLIC ${NATTER_ROOT}/common)

add_library(natter_fuzz_server STATIC
  ${NATTER_ROOT}/server/http/byte_range.cpp
  ${NATTER_ROOT}/server/http/url.cpp
  ${NATTER_ROOT}/server/logging/loggers.cpp
  ${NATTER_ROOT}/server/net/connection_limiter.cpp)
target_include_directories(natter_fuzz_server PUBLIC ${NATTER_ROOT}/server)
target_link_libraries(natter_fuzz_server PUBLIC natter_protocol Boost::headers spdlog::spdlog Threads::Threads OpenSSL::SSL)

foreach(target IN LISTS NATTER_FUZZ_TARGETS)
  add_executable(fuzz_${target} fuzz_${target}.cpp)
  target_link_libraries(fuzz_${target} PRIVATE natter_fuzz_server)
  target_include_directories(fuzz_${target} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR} ${NATTER_ROOT}/tests/protocol)
  target_link_options(fuzz_${target} PRIVATE -fsanitize=fuzzer)
endforeach()
