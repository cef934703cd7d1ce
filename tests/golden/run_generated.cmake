# Golden-output test of `dnnchip generate`: the whole output folder of one (design, model) pair is
# pinned. Every file the generator writes is either byte-identical to its copy under GOLDEN (the
# files the generator composes: top-level Verilog, testbench, scripts, program and memory images,
# the design record, README) or byte-identical to a file of templates/ (the modules it copies);
# GOLDEN/files.txt lists the folder's complete contents, so an added or a missing file fails too.
# With DNNCHIP_UPDATE_GOLDEN=1 it rewrites GOLDEN instead (review `git diff tests/golden` before
# committing). Variables: BIN, DESIGN, MODEL, GOLDEN, TEMPLATES, OUT, WORKDIR.
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE ${OUT})
execute_process(COMMAND ${BIN} generate --design ${DESIGN} -m ${MODEL} -o ${OUT}
  WORKING_DIRECTORY ${WORKDIR}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dnnchip generate --design ${DESIGN} -m ${MODEL} exited ${rc}\nstderr:\n${err}")
endif()

# The template files by content hash: a generated file equal to one of them is a copy.
file(GLOB_RECURSE templates RELATIVE ${TEMPLATES} ${TEMPLATES}/*)
set(template_hashes "")
foreach(t ${templates})
  file(SHA256 ${TEMPLATES}/${t} h)
  list(APPEND template_hashes ${h})
endforeach()

file(GLOB_RECURSE produced RELATIVE ${OUT} ${OUT}/*)
list(SORT produced)
string(REPLACE ";" "\n" listing "${produced}")
set(listing "${listing}\n")

if(NOT "$ENV{DNNCHIP_UPDATE_GOLDEN}" STREQUAL "")
  file(REMOVE_RECURSE ${GOLDEN})
  file(WRITE ${GOLDEN}/files.txt "${listing}")
  foreach(f ${produced})
    file(SHA256 ${OUT}/${f} h)
    if(NOT h IN_LIST template_hashes)
      get_filename_component(dir ${GOLDEN}/${f} DIRECTORY)
      file(COPY ${OUT}/${f} DESTINATION ${dir})
    endif()
  endforeach()
  message(STATUS "updated ${GOLDEN}")
  return()
endif()

if(NOT EXISTS ${GOLDEN}/files.txt)
  message(FATAL_ERROR "missing ${GOLDEN}; create it with DNNCHIP_UPDATE_GOLDEN=1 and review it")
endif()
set(problems "")
file(READ ${GOLDEN}/files.txt want_listing)
if(NOT listing STREQUAL want_listing)
  file(WRITE ${OUT}.files.txt "${listing}")
  string(APPEND problems "  the file list differs from ${GOLDEN}/files.txt (actual: ${OUT}.files.txt)\n")
endif()
foreach(f ${produced})
  if(EXISTS ${GOLDEN}/${f})
    file(SHA256 ${OUT}/${f} got)
    file(SHA256 ${GOLDEN}/${f} want)
    if(NOT got STREQUAL want)
      string(APPEND problems "  ${f} differs (diff -u ${GOLDEN}/${f} ${OUT}/${f})\n")
    endif()
  else()
    file(SHA256 ${OUT}/${f} h)
    if(NOT h IN_LIST template_hashes)
      string(APPEND problems "  ${f} is neither pinned in ${GOLDEN} nor a copy of a template\n")
    endif()
  endif()
endforeach()
if(NOT problems STREQUAL "")
  message(FATAL_ERROR "generated output of --design ${DESIGN} -m ${MODEL} differs from its golden copy:\n"
          "${problems}Regenerate with DNNCHIP_UPDATE_GOLDEN=1 only if the change is intended.")
endif()
