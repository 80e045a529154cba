// One line of `hbroker doctor`: ok, FAIL, WARN (read it; it does not fail doctor) or info, and its sentence.
export type DoctorLine = [boolean | 'warn' | undefined, string];
