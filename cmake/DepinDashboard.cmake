# The web dashboard (web/, TypeScript + Vite): `npm ci` whenever web/package-lock.json changes (a
# stamp file in the build directory records the last install), then a type check and `vite build`
# into ${CMAKE_BINARY_DIR}/dashboard, which `depin node` serves at / (it looks in
# <directory of the depin binary>/../dashboard, or --dashboard DIR). On by default when node and
# npm are found (scripts/install-deps.sh installs Debian's nodejs, npm and chromium).
# The e2e browser test (web/e2e/dashboard.e2e.mjs, CTest label `e2e`) drives /usr/bin/chromium;
# the API contract check (web/e2e/openapi.check.mjs, label `e2e`) runs a node behind a proxy.
find_program(DEPIN_NPM npm)
find_program(DEPIN_NODEJS NAMES node nodejs)
if(DEPIN_NPM AND DEPIN_NODEJS)
  set(_depin_dashboard_default ON)
else()
  set(_depin_dashboard_default OFF)
endif()
option(DEPIN_BUILD_DASHBOARD "Build the web dashboard with npm (needs nodejs and npm)"
       ${_depin_dashboard_default})
if(NOT DEPIN_BUILD_DASHBOARD)
  message(STATUS "dashboard: not built (no node/npm, or DEPIN_BUILD_DASHBOARD=OFF)")
  return()
endif()
if(NOT DEPIN_NPM OR NOT DEPIN_NODEJS)
  message(FATAL_ERROR "DEPIN_BUILD_DASHBOARD needs node and npm (scripts/install-deps.sh)")
endif()

set(DEPIN_WEB_DIR ${PROJECT_SOURCE_DIR}/web)
set(DEPIN_DASHBOARD_DIR ${CMAKE_BINARY_DIR}/dashboard)
set(_npm_stamp ${CMAKE_BINARY_DIR}/dashboard-npm-ci.stamp)
add_custom_command(
  OUTPUT ${_npm_stamp}
  COMMAND ${DEPIN_NPM} ci --no-audit --no-fund --loglevel=error
  COMMAND ${CMAKE_COMMAND} -E touch ${_npm_stamp}
  WORKING_DIRECTORY ${DEPIN_WEB_DIR}
  DEPENDS ${DEPIN_WEB_DIR}/package-lock.json ${DEPIN_WEB_DIR}/package.json
  COMMENT "dashboard: npm ci (package-lock.json changed)"
  VERBATIM)
# The client's types, generated from the API contract (web/src/api-types.ts, not checked in).
set(_api_types ${DEPIN_WEB_DIR}/src/api-types.ts)
add_custom_command(
  OUTPUT ${_api_types}
  COMMAND ${DEPIN_NODEJS} node_modules/openapi-typescript/bin/cli.js
          ${PROJECT_SOURCE_DIR}/docs/openapi.yaml -o ${_api_types}
  WORKING_DIRECTORY ${DEPIN_WEB_DIR}
  DEPENDS ${_npm_stamp} ${PROJECT_SOURCE_DIR}/docs/openapi.yaml
  COMMENT "dashboard: types from docs/openapi.yaml"
  VERBATIM)
file(GLOB_RECURSE _web_sources CONFIGURE_DEPENDS ${DEPIN_WEB_DIR}/src/*)
list(REMOVE_ITEM _web_sources ${_api_types})
add_custom_command(
  OUTPUT ${DEPIN_DASHBOARD_DIR}/index.html
  COMMAND ${DEPIN_NODEJS} node_modules/typescript/bin/tsc --noEmit -p tsconfig.json
  COMMAND ${CMAKE_COMMAND} -E env DASHBOARD_OUT_DIR=${DEPIN_DASHBOARD_DIR}
          ${DEPIN_NODEJS} node_modules/vite/bin/vite.js build --logLevel warn
  WORKING_DIRECTORY ${DEPIN_WEB_DIR}
  DEPENDS ${_npm_stamp} ${_api_types} ${_web_sources} ${DEPIN_WEB_DIR}/index.html
          ${DEPIN_WEB_DIR}/vite.config.ts ${DEPIN_WEB_DIR}/tsconfig.json
  COMMENT "dashboard: tsc + vite build -> ${DEPIN_DASHBOARD_DIR}"
  VERBATIM)
add_custom_target(dashboard ALL DEPENDS ${DEPIN_DASHBOARD_DIR}/index.html)

if(DEPIN_BUILD_TESTS AND TARGET depin)
  # Real node + devices + Chromium. Exit code 77 (skipped) when /usr/bin/chromium is missing.
  add_test(NAME dashboard_e2e
           COMMAND ${DEPIN_NODEJS} ${DEPIN_WEB_DIR}/e2e/dashboard.e2e.mjs
                   --depin $<TARGET_FILE:depin> --dashboard ${DEPIN_DASHBOARD_DIR}
                   --out ${CMAKE_BINARY_DIR}/e2e-artifacts)
  set_tests_properties(dashboard_e2e PROPERTIES LABELS e2e TIMEOUT 600 SKIP_RETURN_CODE 77)
endif()

if(DEPIN_BUILD_TESTS AND TARGET depin)
  # The API contract (docs/openapi.yaml) against a real node, fleet and command-line clients:
  # every operation answered with a success and an error, every answer matching its schema.
  add_test(NAME openapi_contract
           COMMAND ${DEPIN_NODEJS} ${DEPIN_WEB_DIR}/e2e/openapi.check.mjs
                   --depin $<TARGET_FILE:depin> --dashboard ${DEPIN_DASHBOARD_DIR}
                   --spec ${PROJECT_SOURCE_DIR}/docs/openapi.yaml)
  set_tests_properties(openapi_contract PROPERTIES LABELS e2e TIMEOUT 300)
endif()
