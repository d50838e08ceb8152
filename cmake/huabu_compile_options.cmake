# Flags shared by every huabu target, native and wasm.
#
# -ffp-contract=off: never fuse a*b+c into an FMA. Float results (resize, RNG normals) must
#   be bit-identical between the native build and the browser; contraction would round
#   differently wherever the compiler chooses to fuse.
# -fno-exceptions: the core reports errors through huabu::Status; nothing may throw across
#   the wasm boundary.
function(huabu_target_defaults target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wshadow
    -ffp-contract=off
    $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions>)
endfunction()
