# Provides the target huabu::webp: libwebp 1.2.4 on both sides.
#   native: Debian's libwebp-dev through pkg-config.
#   wasm:   the same version's C sources from Debian's source package (fetched into .cache by
#           scripts/fetch-libwebp-source.sh), compiled as a plain static library.
set(HUABU_LIBWEBP_VERSION 1.2.4)

if(NOT EMSCRIPTEN)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(WEBP REQUIRED IMPORTED_TARGET libwebp)
  if(NOT WEBP_VERSION VERSION_EQUAL HUABU_LIBWEBP_VERSION)
    message(WARNING "native libwebp is ${WEBP_VERSION}, the wasm build uses ${HUABU_LIBWEBP_VERSION}: "
                    "WebP output will differ between native and wasm")
  endif()
  add_library(huabu::webp ALIAS PkgConfig::WEBP)
  return()
endif()

set(HUABU_LIBWEBP_SOURCE_DIR "${PROJECT_SOURCE_DIR}/.cache/libwebp-src/libwebp-${HUABU_LIBWEBP_VERSION}"
    CACHE PATH "libwebp sources for the wasm build")
set(_fetch_script "${PROJECT_SOURCE_DIR}/scripts/fetch-libwebp-source.sh")
option(HUABU_FETCH_LIBWEBP "Run scripts/fetch-libwebp-source.sh at configure time if sources are missing" ON)

if(NOT EXISTS "${HUABU_LIBWEBP_SOURCE_DIR}/src/webp/encode.h" AND HUABU_FETCH_LIBWEBP)
  message(STATUS "libwebp sources missing; running ${_fetch_script}")
  execute_process(COMMAND sh "${_fetch_script}" RESULT_VARIABLE _fetch_result)
endif()
if(NOT EXISTS "${HUABU_LIBWEBP_SOURCE_DIR}/src/webp/encode.h")
  message(FATAL_ERROR "libwebp ${HUABU_LIBWEBP_VERSION} sources not found in ${HUABU_LIBWEBP_SOURCE_DIR}.\n"
                      "Run scripts/fetch-libwebp-source.sh (needs apt access to Debian's deb-src) and configure again.")
endif()

file(GLOB _webp_sources CONFIGURE_DEPENDS
  "${HUABU_LIBWEBP_SOURCE_DIR}/src/dec/*.c"
  "${HUABU_LIBWEBP_SOURCE_DIR}/src/enc/*.c"
  "${HUABU_LIBWEBP_SOURCE_DIR}/src/dsp/*.c"
  "${HUABU_LIBWEBP_SOURCE_DIR}/src/utils/*.c"
  "${HUABU_LIBWEBP_SOURCE_DIR}/sharpyuv/*.c")
add_library(huabu_webp STATIC ${_webp_sources})
# Its NEON/MIPS files compile to nothing here; SSE2/SSE4.1 paths are translated to wasm SIMD
# (libwebp's cpu.c reports SSE2/SSE4.1 under Emscripten when these are defined).
target_compile_options(huabu_webp PRIVATE -msse4.1 -w)
target_compile_definitions(huabu_webp PRIVATE WEBP_HAVE_SSE2 WEBP_HAVE_SSE41)
target_include_directories(huabu_webp PRIVATE "${HUABU_LIBWEBP_SOURCE_DIR}"
                           PUBLIC "${HUABU_LIBWEBP_SOURCE_DIR}/src")
set_target_properties(huabu_webp PROPERTIES C_STANDARD 99)
add_library(huabu::webp ALIAS huabu_webp)
