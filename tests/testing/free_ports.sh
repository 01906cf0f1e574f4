# Sourced by the project's test and benchmark scripts: finds free loopback
# ports, so a script's servers never collide with another run's.
#
#   source "$root/tests/testing/free_ports.sh"
#   base="$(free_port_base 5)"   # 127.0.0.1:base..base+4 are free (up.sh's five)

# port_free PORT: true when nothing listens on 127.0.0.1:PORT.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port_base [COUNT]: prints a port P such that P .. P+COUNT-1 are all
# free (default COUNT 1); fails after 100 tries. Ports come from below the
# kernel's ephemeral range: a port picked inside it can be taken by any
# outgoing connection (a client of another test) before the server binds
# it, or while a test restarts that server on the same port.
free_port_base() {
  local count="${1:-1}" low=10000 high=32768 base k
  if [[ -r /proc/sys/net/ipv4/ip_local_port_range ]]; then
    read -r high _ < /proc/sys/net/ipv4/ip_local_port_range
  fi
  # An unusual ephemeral range leaves no room below it: use the old span.
  if ((high - count - low < 1000)); then low=20000 high=60000; fi
  for _ in $(seq 1 100); do
    base=$((low + (RANDOM * 32768 + RANDOM) % (high - count - low)))
    for ((k = 0; k < count; k++)); do port_free $((base + k)) || continue 2; done
    echo "$base"
    return 0
  done
  echo "no $count free loopback ports in a row found" >&2
  return 1
}
