# Runs the sample export (EXPORT) into OUT and the validator over it; fails on any problem.
execute_process(COMMAND ${EXPORT} OUTPUT_FILE ${OUT} RESULT_VARIABLE export_result)
if(NOT export_result EQUAL 0)
  message(FATAL_ERROR "the sample export failed: ${export_result}")
endif()
get_filename_component(source_dir ${VALIDATOR} DIRECTORY)
execute_process(
  COMMAND ${PYTHON} ${VALIDATOR} --schemas ${source_dir}/../tests/data/stix2-json-schemas/schemas
          --extension-schema ${source_dir}/schemas/incident-core.json
          --attack-table ${source_dir}/attack_ics_techniques.inc ${OUT}
  RESULT_VARIABLE validate_result)
if(NOT validate_result EQUAL 0)
  message(FATAL_ERROR "STIX validation failed (above)")
endif()
