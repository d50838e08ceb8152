# Emscripten-only setup (Debian's emscripten 3.1.6; see /work/shared/toolchain.md).

# wasm SIMD for every target, libwebp included (its SSE2/SSE4.1 code maps onto it).
add_compile_options(-msimd128)

# emcc runs acorn (a Node module in /usr/share/nodejs) when optimising the JS glue at -O2+;
# the machine's Node does not search that directory. Launch every link with NODE_PATH set
# so a plain `ninja` or `cmake --build` works without exporting it by hand.
if(EXISTS /usr/share/nodejs)
  set(_node_path "/usr/share/nodejs")
  if(DEFINED ENV{NODE_PATH} AND NOT "$ENV{NODE_PATH}" STREQUAL "/usr/share/nodejs")
    string(PREPEND _node_path "$ENV{NODE_PATH}:")
  endif()
  set(CMAKE_C_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=${_node_path}")
  set(CMAKE_CXX_LINKER_LAUNCHER "${CMAKE_COMMAND};-E;env;NODE_PATH=${_node_path}")
endif()

# Tests run under Node through ctest. The toolchain file picks a bare `node` (which makes
# 3.1.6's glue call Node 20's fetch() on a file path) and emcmake adds
# --experimental-wasm-threads (which Node 20 rejects); keep the Node binary, use
# --no-experimental-fetch instead.
if(NOT CMAKE_CROSSCOMPILING_EMULATOR MATCHES "no-experimental-fetch")
  set(_node "")
  if(CMAKE_CROSSCOMPILING_EMULATOR)
    list(GET CMAKE_CROSSCOMPILING_EMULATOR 0 _node)
  endif()
  if(NOT _node)
    find_program(_node NAMES node nodejs REQUIRED)
  endif()
  message(STATUS "wasm tests run with: ${_node} --no-experimental-fetch")
  set(CMAKE_CROSSCOMPILING_EMULATOR "${_node};--no-experimental-fetch" CACHE STRING
      "Runs the wasm test executables under Node" FORCE)
endif()
