#pragma once

#include <string>

#include "schema/schema.h"

namespace uvgen {

// A C++ Catch2 test file that, compiled against the header the schema was
// made from, checks every record's size and alignment and every named
// field's offset (anonymous members through their path). One test case per record.
std::string emitLayoutTests(const Schema& schema, const std::string& include);

}  // namespace uvgen
