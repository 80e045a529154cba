"""Calls every public method of jupyterhealth-client against $JHE_URL with $JHE_TOKEN; prints a JSON report.

argv: study id, patient id, observation id, patient email, patient external id.
Each method's outcome is "ok", or the error text (an HTTP error names its status). A public method this
script does not know is reported too, so a new client version cannot slip past the test.
"""

import inspect
import json
import sys

from jupyterhealth_client import Code, JupyterHealthClient

study, patient, observation, email, external_id = sys.argv[1:6]
client = JupyterHealthClient()
report: dict = {"outcomes": {}}

calls = {
    "api_request": lambda: client.api_request("users/profile"),
    "get_user": lambda: client.get_user(),
    "list_organizations": lambda: list(client.list_organizations()),
    "get_organization": lambda: client.get_organization(
        next(iter(client.list_organizations()))["id"]
    ),
    "list_studies": lambda: list(client.list_studies()),
    "get_study": lambda: client.get_study(study),
    "list_patients": lambda: list(client.list_patients(study_id=study)),
    "get_patient": lambda: client.get_patient(patient),
    "get_patient_consents": lambda: client.get_patient_consents(patient),
    "lookup_patient": lambda: (
        client.lookup_patient(email=email),
        client.lookup_patient(external_id=external_id),
    ),
    "get_patient_by_external_id": lambda: client.get_patient_by_external_id(external_id),
    "list_data_sources": lambda: list(client.list_data_sources()),
    "list_observations": lambda: (
        list(client.list_observations(study_id=study, code=Code.HEART_RATE, limit=None)),
        list(client.list_observations(patient_id=patient, limit=5)),
    ),
    "list_observations_df": lambda: client.list_observations_df(study_id=study),
    "get_fhir": lambda: client.get_fhir("Observation", observation),
    "list_fhir": lambda: list(client.list_fhir("QuestionnaireResponse", study_id=study)),
    "list_fhir_resource_types": lambda: client.list_fhir_resource_types(),
    "get_fhir_capability_statement": lambda: client.get_fhir_capability_statement(),
}

public = sorted(
    name
    for name, member in inspect.getmembers(JupyterHealthClient, inspect.isfunction)
    if not name.startswith("_")
)
report["public"] = public
report["not_called"] = [name for name in public if name not in calls]

for name, call in calls.items():
    try:
        result = call()
    except Exception as e:  # the report says what went wrong, the test decides
        report["outcomes"][name] = f"{type(e).__name__}: {e}"
        continue
    report["outcomes"][name] = "ok"
    if name == "list_observations_df":
        # The default slice: which records, in which order (limit=2000 by default).
        report["default_df_ids"] = [str(i) for i in result["id"]]
    if name == "list_fhir_resource_types":
        report["resource_types"] = result
    if name == "list_fhir":
        report["questionnaire_responses"] = len(result)

print(json.dumps(report))
