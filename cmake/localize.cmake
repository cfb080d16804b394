# localize.cmake - cmake -P script (see static-object.cmake): writes the
# list of symbols the shared library SO exports, then copies object IN to
# OUT keeping only those global (objcopy --keep-global-symbols).
execute_process(COMMAND ${NM} -D --defined-only ${SO}
                OUTPUT_VARIABLE syms RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm -D ${SO} failed")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${syms}")
set(keep "")
foreach(l IN LISTS lines)
  if(l MATCHES " [TDBRW] ((aw|wasm)_[A-Za-z0-9_]+)$")
    string(APPEND keep "${CMAKE_MATCH_1}\n")
  endif()
endforeach()
if(keep STREQUAL "")
  message(FATAL_ERROR "${SO} exports no aw_* symbol")
endif()
file(WRITE ${OUT}.keep "${keep}")
execute_process(COMMAND ${OBJCOPY} --keep-global-symbols=${OUT}.keep ${IN} ${OUT}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "objcopy --keep-global-symbols failed")
endif()
file(REMOVE ${IN})
