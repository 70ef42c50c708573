// common/api/k8s/batch.cpp
#include "common/api/k8s/batch.hpp"

namespace mg::api {
using namespace k8s;

void Describe<JobSpec>::fields(Fields<JobSpec>& f) {
  f("backoffLimit", &JobSpec::backoffLimit);
  f("activeDeadlineSeconds", &JobSpec::activeDeadlineSeconds);
  f("template", &JobSpec::template_);
}

void Describe<Job>::fields(Fields<Job>& f) {
  object_fields(f);
}

}  // namespace mg::api
