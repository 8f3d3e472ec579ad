#!/bin/sh
# Runs inside the guestmem real-kernel VM, chrooted into the host's / (read-only), as "<job dir>/job".
# run.sh writes <job dir>/job.env (JAVA, the class path, the test roots) next to this script.
#
# Binds QEMU's edu device (1234:11e8) to vfio-pci, checks that the VFIO and iommufd device nodes appeared, then runs
# the real-kernel tests with JUnit's console launcher on the host's java. Exit status: the launcher's (non-zero on
# any failure or if no test ran), or 3 if the devices are not there.
set -u
. "$GUESTMEM_JOB/job.env"

echo "guestmem-vm: kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ {print $2 / 1024 " MiB"}' /proc/meminfo)"

edu=""
for dev in /sys/bus/pci/devices/*; do
  if [ "$(cat "$dev/vendor")" = 0x1234 ] && [ "$(cat "$dev/device")" = 0x11e8 ]; then edu="${dev##*/}"; fi
done
if [ -z "$edu" ]; then echo "guestmem-vm: FAIL: no edu device (1234:11e8) on the PCI bus"; exit 3; fi
echo vfio-pci > "/sys/bus/pci/devices/$edu/driver_override"
echo "$edu" > /sys/bus/pci/drivers_probe
driver="$(basename "$(readlink "/sys/bus/pci/devices/$edu/driver")")"
if [ "$driver" != vfio-pci ]; then echo "guestmem-vm: FAIL: edu $edu bound to '$driver', not vfio-pci"; exit 3; fi
group="$(basename "$(readlink "/sys/bus/pci/devices/$edu/iommu_group")")"
cdev="/dev/vfio/devices/$(ls "/sys/bus/pci/devices/$edu/vfio-dev/")"
for node in /dev/vfio/vfio "/dev/vfio/$group" "$cdev" /dev/iommu; do
  if [ ! -c "$node" ]; then echo "guestmem-vm: FAIL: $node is missing"; exit 3; fi
done
echo "guestmem-vm: edu $edu bound to vfio-pci, group /dev/vfio/$group, cdev $cdev, /dev/iommu present"

# C1 only and the serial collector: the JVM starts noticeably faster under TCG emulation.
"$JAVA" -XX:TieredStopAtLevel=1 -Dpicocli.usage.width=120 -XX:+UseSerialGC -Xmx768m -Djna.tmpdir=/tmp -Djava.io.tmpdir=/tmp \
  -Dguestmem.dma.kernel=real \
  -Dguestmem.it.edu="$edu" -Dguestmem.it.group="/dev/vfio/$group" -Dguestmem.it.cdev="$cdev" \
  -cp "$LAUNCHER_CP" org.junit.platform.console.ConsoleLauncher execute \
  --disable-banner --disable-ansi-colors --details=tree --fail-if-no-tests \
  --config=junit.jupiter.execution.timeout.default=600s \
  --reports-dir="$GUESTMEM_JOB/reports" \
  --class-path "$TEST_CP" --scan-class-path "$TEST_ROOTS" \
  $SELECT
status=$?
dmesg > "$GUESTMEM_JOB/dmesg.txt" 2>&1
exit $status
