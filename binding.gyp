{
  "variables": {
    "lstm_lrp_werror%": 1
  },
  "targets": [
    {
      "target_name": "lstm_lrp",
      "sources": [
        "bindings/napi/addon.cc",
        "<!@(node -p \"require('./native/sources.json').join(' ')\")"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native/include"
      ],
      # NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS: an error raised while a worker thread's environment shuts
      # down (worker.terminate()) has no JavaScript left to reach; node-addon-api drops it instead of aborting.
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-Wall", "-Wextra", "-Wconversion", "-Wno-sign-conversion"],
      "xcode_settings": {
        "WARNING_CFLAGS": ["-Wall", "-Wextra", "-Wconversion", "-Wno-sign-conversion"],
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "MACOSX_DEPLOYMENT_TARGET": "10.15"
      },
      "conditions": [
        ["lstm_lrp_werror==1", {
          "cflags_cc": ["-Werror"],
          "xcode_settings": { "GCC_TREAT_WARNINGS_AS_ERRORS": "YES" }
        }]
      ],
      "msvs_settings": {
        "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17"] }
      }
    }
  ]
}
