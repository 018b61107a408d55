variable "x" {
  default = ${{{
}
