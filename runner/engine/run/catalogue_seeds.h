// Seeds for `h2conform fuzz`: the frames the catalogue's cases send, played in memory.
//
// Contract: every case runs against a minimal well-behaved HTTP/2 server that lives in memory
// (its SETTINGS first, SETTINGS and PINGs acknowledged, every complete request answered with a
// bare 200) on a clock that jumps to each deadline, so nothing touches the network and no
// real time passes. What each case wrote after the client preface (at most
// kMaxSequenceBytes) is one seed. The result depends on the cases and the target's scheme,
// authority and path only, in a fixed order: a fuzz run is deterministic from its seed
// whatever the target does. Cases that need TLS-level handshakes are left out.
#pragma once

#include <vector>

#include "runner/engine/case/target.h"
#include "runner/engine/model/case_model.h"
#include "runner/wire/frame.h"

namespace h2conform::engine {

std::vector<wire::Bytes> catalogue_seeds(const std::vector<const Case*>& cases, const Target& target);

}  // namespace h2conform::engine
