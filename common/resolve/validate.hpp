// common/resolve/validate.hpp
//! Checks on a MultigresCluster spec as the user wrote it: the CEL rules of the CRD (so offline
//! validation reports them too) and uniqueness. Cross-object checks live in the resolver.
#pragma once

#include "common/api/field_error.hpp"
#include "common/api/multigres_cluster.hpp"

namespace mg::resolve {

void validate_spec(const api::MultigresCluster& cluster, api::FieldErrors& errors);

//! What is wrong with `name` as a cell name ("" when nothing): the one rule for spec.cells and for
//! `kubectl multigres init`'s questions. Says what the rule is, not where the name came from.
std::string cell_name_problem(const std::string& name);

//! The CEL rules of a CellTemplate / ShardTemplate, for offline validation.
void validate_template(const api::CellTemplate& t, api::FieldErrors& errors);
void validate_template(const api::ShardTemplate& t, api::FieldErrors& errors);

}  // namespace mg::resolve
