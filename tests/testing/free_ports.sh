# Sourced by the project's test and benchmark scripts: finds free loopback
# ports, so a script's servers never collide with another run's.
#
#   source "$root/tests/testing/free_ports.sh"
#   base="$(free_port_base 5)"   # 127.0.0.1:base..base+4 are free (up.sh's five)

# port_free PORT: true when nothing listens on 127.0.0.1:PORT.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port_base [COUNT]: prints a port P in 20000..59999 such that P ..
# P+COUNT-1 are all free (default COUNT 1); fails after 100 tries.
free_port_base() {
  local count="${1:-1}" base k
  for _ in $(seq 1 100); do
    base=$((20000 + RANDOM % 40000))
    for ((k = 0; k < count; k++)); do port_free $((base + k)) || continue 2; done
    echo "$base"
    return 0
  done
  echo "no $count free loopback ports in a row found" >&2
  return 1
}
