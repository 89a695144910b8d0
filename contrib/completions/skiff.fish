# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_skiff_global_optspecs
    string join \n root= runroot= storage-driver= h/help V/version
end

function __fish_skiff_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_skiff_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_skiff_using_subcommand
    set -l cmd (__fish_skiff_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c skiff -n "__fish_skiff_needs_command" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_needs_command" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_needs_command" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_needs_command" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_needs_command" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "images" -d 'List images'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "rmi" -d 'Remove one or more images'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "tag" -d 'Create a tag TARGET that refers to SOURCE'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "inspect" -d 'Display detailed information on images'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "history" -d 'Show the history of an image'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "import" -d 'Create an image from a tarball or directory of a root filesystem'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "save" -d 'Save images to a tar archive (docker-archive or oci-archive)'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "load" -d 'Load images from a tar archive'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "login" -d 'Log in to a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "logout" -d 'Log out from a registry'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "image" -d 'Manage images'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "run" -d 'Create and run a container from an image'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "create" -d 'Create a container without starting it'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "start" -d 'Start one or more containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "stop" -d 'Stop one or more running containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "restart" -d 'Restart one or more containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "kill" -d 'Send a signal to one or more running containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "rm" -d 'Remove one or more containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "ps" -d 'List containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "logs" -d 'Fetch the logs of a container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "exec" -d 'Run a command in a running container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "wait" -d 'Block until containers stop, then print their exit codes'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "attach" -d 'Attach to a running container\'s input and output'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "rename" -d 'Rename a container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "pause" -d 'Pause all processes in containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "unpause" -d 'Unpause all processes in containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "diff" -d 'Show the changes to a container\'s filesystem'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "cp" -d 'Copy files between a container and the host'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "port" -d 'List a container\'s published ports'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "top" -d 'Display the running processes of a container'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "stats" -d 'Display a live stream of containers\' resource usage'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "container" -d 'Manage containers'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "system" -d 'Manage skiff: disk usage, information, pruning, store checks'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "info" -d 'Display system-wide information'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "volume" -d 'Manage volumes'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "pod" -d 'Manage pods: containers sharing network, IPC and UTS namespaces'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "unshare" -d 'Run a command inside skiff\'s user namespace'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "runtime" -d 'The built-in OCI runtime, with runc\'s command line'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "version" -d 'Show version information'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish)'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "generate-man" -d 'Write man pages to a directory'
complete -c skiff -n "__fish_skiff_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l platform -d 'Platform to pull for an image index, as os/arch[/variant]' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l arch -d 'Override the architecture of --platform' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l variant -d 'Override the variant of --platform' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l tls-verify -d 'Require HTTPS and verify certificates (false: allow HTTP and self-signed TLS)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l creds -d 'Credentials USERNAME[:PASSWORD] to use instead of stored ones' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pull" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pull" -s q -l quiet -d 'Print only the image ID'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pull" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand push" -l digestfile -d 'Write the digest of the pushed manifest to this file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l tls-verify -d 'Require HTTPS and verify certificates (false: allow HTTP and self-signed TLS)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand push" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l creds -d 'Credentials USERNAME[:PASSWORD] to use instead of stored ones' -r
complete -c skiff -n "__fish_skiff_using_subcommand push" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand push" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand push" -s q -l quiet -d 'Do not print progress'
complete -c skiff -n "__fish_skiff_using_subcommand push" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand push" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand images" -l format -d 'Format output: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand images" -s f -l filter -d 'Filter output (dangling=true|false, reference=PATTERN)' -r
complete -c skiff -n "__fish_skiff_using_subcommand images" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand images" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand images" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand images" -s a -l all -d 'Show all images (default hides intermediate images; skiff has none)'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s q -l quiet -d 'Only show image IDs'
complete -c skiff -n "__fish_skiff_using_subcommand images" -l digests -d 'Show digests'
complete -c skiff -n "__fish_skiff_using_subcommand images" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand images" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s f -l force -d 'Remove images with several names, or in use'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s a -l all -d 'Remove all images'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand rmi" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand tag" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand tag" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand tag" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s f -l format -d 'Format the output with a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l type -d 'Object type: container or image (default: either)' -r
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand inspect" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand history" -s H -l human -d 'Print sizes and dates in human readable format' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand history" -l format -r
complete -c skiff -n "__fish_skiff_using_subcommand history" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand history" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand history" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand history" -l no-trunc
complete -c skiff -n "__fish_skiff_using_subcommand history" -s q -l quiet
complete -c skiff -n "__fish_skiff_using_subcommand history" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand history" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand import" -s c -l change -d 'Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL, ONBUILD)' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -s m -l message -d 'Commit message recorded in the history' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -l platform -d 'Platform recorded in the config (default: this host)' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand import" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand import" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand import" -s q -l quiet -d 'Print only the image ID'
complete -c skiff -n "__fish_skiff_using_subcommand import" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand import" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand save" -s o -l output -d 'Write to a file instead of stdout' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand save" -l format -d 'docker-archive (default) or oci-archive' -r
complete -c skiff -n "__fish_skiff_using_subcommand save" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand save" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand save" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand save" -s q -l quiet
complete -c skiff -n "__fish_skiff_using_subcommand save" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand save" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand load" -s i -l input -d 'Read from a file instead of stdin' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand load" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand load" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand load" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand load" -s q -l quiet
complete -c skiff -n "__fish_skiff_using_subcommand load" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand load" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand login" -s u -l username -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -s p -l password -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -l tls-verify -d 'Require HTTPS and verify certificates (false: allow HTTP and self-signed TLS)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand login" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l creds -d 'Credentials USERNAME[:PASSWORD] to use instead of stored ones' -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand login" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand login" -l password-stdin -d 'Read the password from stdin'
complete -c skiff -n "__fish_skiff_using_subcommand login" -l get-login -d 'Only check whether credentials exist for the registry'
complete -c skiff -n "__fish_skiff_using_subcommand login" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand login" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l authfile -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logout" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand logout" -s a -l all -d 'Remove all stored credentials'
complete -c skiff -n "__fish_skiff_using_subcommand logout" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand logout" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "ls" -d 'List images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "list" -d 'List images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "rm" -d 'Remove one or more images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "tag" -d 'Create a tag TARGET that refers to SOURCE'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "inspect" -d 'Display detailed information on images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "history" -d 'Show the history of an image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "import" -d 'Create an image from a tarball or directory'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "save" -d 'Save images to a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "load" -d 'Load images from a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and not __fish_seen_subcommand_from ls list pull push rm tag inspect history import save load prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l format -d 'Format output: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output (dangling=true|false, reference=PATTERN)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all images (default hides intermediate images; skiff has none)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only show image IDs'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l digests -d 'Show digests'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l format -d 'Format output: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output (dangling=true|false, reference=PATTERN)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all images (default hides intermediate images; skiff has none)'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only show image IDs'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l digests -d 'Show digests'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l platform -d 'Platform to pull for an image index, as os/arch[/variant]' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l arch -d 'Override the architecture of --platform' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l variant -d 'Override the variant of --platform' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l tls-verify -d 'Require HTTPS and verify certificates (false: allow HTTP and self-signed TLS)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l creds -d 'Credentials USERNAME[:PASSWORD] to use instead of stored ones' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -s q -l quiet -d 'Print only the image ID'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from pull" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l digestfile -d 'Write the digest of the pushed manifest to this file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l tls-verify -d 'Require HTTPS and verify certificates (false: allow HTTP and self-signed TLS)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l authfile -d 'Path of the authentication file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l creds -d 'Credentials USERNAME[:PASSWORD] to use instead of stored ones' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s q -l quiet -d 'Do not print progress'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from push" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s f -l force -d 'Remove images with several names, or in use'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove all images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from tag" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output with a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l type -d 'Object type: container or image (default: either)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -s H -l human -d 'Print sizes and dates in human readable format' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l format -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -l no-trunc
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -s q -l quiet
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from history" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s c -l change -d 'Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL, ONBUILD)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s m -l message -d 'Commit message recorded in the history' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l platform -d 'Platform recorded in the config (default: this host)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s q -l quiet -d 'Print only the image ID'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from import" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s o -l output -d 'Write to a file instead of stdout' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l format -d 'docker-archive (default) or oci-archive' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s q -l quiet
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from save" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s i -l input -d 'Read from a file instead of stdin' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s q -l quiet
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from load" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l filter -d 'Only images matching: until=TIME, label=KEY[=VALUE], label!=KEY[=VALUE]' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused images, not just dangling ones'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "tag" -d 'Create a tag TARGET that refers to SOURCE'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display detailed information on images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "history" -d 'Show the history of an image'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "import" -d 'Create an image from a tarball or directory'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "save" -d 'Save images to a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "load" -d 'Load images from a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s a -l attach -d 'Attach to STDIN, STDOUT or STDERR (default: all that apply)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l sig-proxy -d 'Proxy received signals to the container\'s process' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand run" -l detach-keys -d 'Key sequence for detaching (default ctrl-p,ctrl-q)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l name -d 'Assign a name to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s l -l label -d 'Set metadata on the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l label-file -d 'Read labels from a file of KEY=VALUE lines' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -l annotation -d 'Add an OCI annotation to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l restart -d 'Restart policy: no, on-failure[:MAX-RETRIES], always, unless-stopped' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l pull -d 'Pull the image before creating: always, missing, never, newer' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l log-driver -d 'Logging driver: k8s-file, json-file or none' -r -f -a "k8s-file\t''
json-file\t''
none\t''"
complete -c skiff -n "__fish_skiff_using_subcommand run" -l log-opt -d 'Logging driver options' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l stop-signal -d 'Signal to stop the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l stop-timeout -d 'Seconds to wait for the container to stop before killing it' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s p -l publish -d 'Publish a container\'s port(s) to the host' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l network -l net -d 'Network mode: default, none, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l dns -d 'Set custom DNS servers' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l dns-search -d 'Set custom DNS search domains ("." for none)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l dns-option -l dns-opt -d 'Set DNS resolver options' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l add-host -d 'Add a custom host-to-IP mapping' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l mac-address -d 'Container MAC address' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l ip -d 'Container IPv4 address' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l ip6 -d 'Container IPv6 address' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l pod -d 'Run the container in a pod' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cgroupns -d 'Cgroup namespace: private or host' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l ipc -d 'IPC namespace: private, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l pid -d 'PID namespace: private, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l uts -d 'UTS namespace: private, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l userns -d 'User namespace: host or keep-id (rootless: run as your own uid)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l platform -d 'Platform of the image to use (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s e -l env -d 'Set environment variables (KEY alone takes the host\'s value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l env-file -d 'Read environment variables from a file of KEY=VALUE lines' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s u -l user -d 'Username or UID, with an optional group (name|uid[:group|gid])' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l group-add -d 'Add additional groups to join' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s h -l hostname -d 'Container host name' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l entrypoint -d 'Overwrite the image\'s ENTRYPOINT ("" clears it; a JSON array is split)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cap-add -d 'Add Linux capabilities (or ALL)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cap-drop -d 'Drop Linux capabilities (or ALL)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l security-opt -d 'Security options: seccomp=unconfined|PROFILE, no-new-privileges, label=disable, apparmor=PROFILE, mask=PATHS, unmask=PATHS' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l tmpfs -d 'Mount a tmpfs directory (DEST[:OPTIONS])' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s v -l volume -d 'Bind mount a volume ([SOURCE:]DEST[:OPTIONS])' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l mount -d 'Attach a filesystem mount (type=bind|volume|tmpfs,source=...,target=...)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l device -d 'Add a host device (HOST[:CONTAINER][:PERMISSIONS])' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l ulimit -d 'Resource limit (NAME=SOFT[:HARD], -1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l sysctl -d 'Set kernel parameters (KEY=VALUE)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s m -l memory -d 'Memory limit (e.g. 512m, 1g)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l memory-swap -d 'Memory plus swap limit (-1 for unlimited swap)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l memory-reservation -d 'Memory soft limit' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cpus -d 'Number of CPUs (e.g. 1.5)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l cpuset-mems -d 'Memory nodes in which to allow execution (0-3, 0,1)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l pids-limit -d 'Tune the container\'s pids limit (-1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l oom-score-adj -d 'Tune the host\'s OOM preferences (-1000 to 1000)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l shm-size -d 'Size of /dev/shm (e.g. 64m)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand run" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand run" -s d -l detach -d 'Run in the background and print the container ID'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l rm -d 'Remove the container when it exits'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s P -l publish-all -d 'Publish all exposed ports to random host ports'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l privileged -d 'Give extended privileges to this container'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l read-only -d 'Mount the container\'s root filesystem read-only'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c skiff -n "__fish_skiff_using_subcommand run" -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand run" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l name -d 'Assign a name to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s l -l label -d 'Set metadata on the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l label-file -d 'Read labels from a file of KEY=VALUE lines' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -l annotation -d 'Add an OCI annotation to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l restart -d 'Restart policy: no, on-failure[:MAX-RETRIES], always, unless-stopped' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l pull -d 'Pull the image before creating: always, missing, never, newer' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l log-driver -d 'Logging driver: k8s-file, json-file or none' -r -f -a "k8s-file\t''
json-file\t''
none\t''"
complete -c skiff -n "__fish_skiff_using_subcommand create" -l log-opt -d 'Logging driver options' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l stop-signal -d 'Signal to stop the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l stop-timeout -d 'Seconds to wait for the container to stop before killing it' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s p -l publish -d 'Publish a container\'s port(s) to the host' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l network -l net -d 'Network mode: default, none, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l dns -d 'Set custom DNS servers' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l dns-search -d 'Set custom DNS search domains ("." for none)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l dns-option -l dns-opt -d 'Set DNS resolver options' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l add-host -d 'Add a custom host-to-IP mapping' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l mac-address -d 'Container MAC address' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l ip -d 'Container IPv4 address' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l ip6 -d 'Container IPv6 address' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l pod -d 'Run the container in a pod' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cgroupns -d 'Cgroup namespace: private or host' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l ipc -d 'IPC namespace: private, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l pid -d 'PID namespace: private, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l uts -d 'UTS namespace: private, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l userns -d 'User namespace: host or keep-id (rootless: run as your own uid)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l platform -d 'Platform of the image to use (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s e -l env -d 'Set environment variables (KEY alone takes the host\'s value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l env-file -d 'Read environment variables from a file of KEY=VALUE lines' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s u -l user -d 'Username or UID, with an optional group (name|uid[:group|gid])' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l group-add -d 'Add additional groups to join' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s h -l hostname -d 'Container host name' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l entrypoint -d 'Overwrite the image\'s ENTRYPOINT ("" clears it; a JSON array is split)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cap-add -d 'Add Linux capabilities (or ALL)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cap-drop -d 'Drop Linux capabilities (or ALL)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l security-opt -d 'Security options: seccomp=unconfined|PROFILE, no-new-privileges, label=disable, apparmor=PROFILE, mask=PATHS, unmask=PATHS' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l tmpfs -d 'Mount a tmpfs directory (DEST[:OPTIONS])' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s v -l volume -d 'Bind mount a volume ([SOURCE:]DEST[:OPTIONS])' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l mount -d 'Attach a filesystem mount (type=bind|volume|tmpfs,source=...,target=...)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l device -d 'Add a host device (HOST[:CONTAINER][:PERMISSIONS])' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l ulimit -d 'Resource limit (NAME=SOFT[:HARD], -1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l sysctl -d 'Set kernel parameters (KEY=VALUE)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s m -l memory -d 'Memory limit (e.g. 512m, 1g)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l memory-swap -d 'Memory plus swap limit (-1 for unlimited swap)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l memory-reservation -d 'Memory soft limit' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cpus -d 'Number of CPUs (e.g. 1.5)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l cpuset-mems -d 'Memory nodes in which to allow execution (0-3, 0,1)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l pids-limit -d 'Tune the container\'s pids limit (-1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l oom-score-adj -d 'Tune the host\'s OOM preferences (-1000 to 1000)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l shm-size -d 'Size of /dev/shm (e.g. 64m)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand create" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand create" -l rm -d 'Remove the container when it exits'
complete -c skiff -n "__fish_skiff_using_subcommand create" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c skiff -n "__fish_skiff_using_subcommand create" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c skiff -n "__fish_skiff_using_subcommand create" -s P -l publish-all -d 'Publish all exposed ports to random host ports'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l privileged -d 'Give extended privileges to this container'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l read-only -d 'Mount the container\'s root filesystem read-only'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c skiff -n "__fish_skiff_using_subcommand create" -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand create" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand start" -l detach-keys -d 'Key sequence for detaching (default ctrl-p,ctrl-q)' -r
complete -c skiff -n "__fish_skiff_using_subcommand start" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand start" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand start" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand start" -s a -l attach -d 'Attach STDOUT/STDERR and forward signals'
complete -c skiff -n "__fish_skiff_using_subcommand start" -s i -l interactive -d 'Attach STDIN'
complete -c skiff -n "__fish_skiff_using_subcommand start" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand start" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s t -l time -l timeout -d 'Seconds to wait before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s s -l signal -d 'Signal to send (default: the image\'s StopSignal, else SIGTERM)' -r
complete -c skiff -n "__fish_skiff_using_subcommand stop" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand stop" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand stop" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s a -l all -d 'Stop every running container'
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand stop" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s t -l time -l timeout -d 'Seconds to wait before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s s -l signal -d 'Signal to send (default: the image\'s StopSignal, else SIGTERM)' -r
complete -c skiff -n "__fish_skiff_using_subcommand restart" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand restart" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand restart" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s a -l all -d 'Stop every running container'
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand restart" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand kill" -s s -l signal -d 'Signal to send' -r
complete -c skiff -n "__fish_skiff_using_subcommand kill" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand kill" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand kill" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand kill" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand kill" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rm" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rm" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s f -l force -d 'Kill and remove running containers'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s v -l volumes -d 'Remove the container\'s anonymous volumes'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s a -l all -d 'Remove every container'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand rm" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s n -l last -d 'Show the last N created containers (all states)' -r
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s f -l filter -d 'Filter output (name, id, status, label, ancestor, exited, pod)' -r
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l format -d 'Output format: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s a -l all -d 'Show all containers (default: running only)'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s q -l quiet -d 'Only display IDs'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s s -l size -d 'Display total file sizes'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s l -l latest -d 'Show the latest created container (all states)'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s p -l pod -d 'Show each container\'s pod (POD ID and PODNAME columns)'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand ps" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l since -d 'Show logs since a timestamp or relative time (e.g. 10m)' -r
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l until -d 'Show logs before a timestamp or relative time' -r
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s n -l tail -d 'Number of lines to show from the end ("all" for everything)' -r
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand logs" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s f -l follow -d 'Follow log output'
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s t -l timestamps -d 'Show timestamps'
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand logs" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s e -l env -d 'Set environment variables' -r
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l env-file -d 'Read environment variables from a file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s u -l user -d 'Username or UID[:GID]' -r
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l detach-keys -d 'Key sequence for detaching (default ctrl-p,ctrl-q)' -r
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s d -l detach -d 'Run in the background'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s i -l interactive -d 'Keep STDIN open'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -l privileged -d 'Give extended privileges to the command'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand exec" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand wait" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand wait" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand wait" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand wait" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand wait" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l sig-proxy -d 'Proxy received signals to the container\'s process' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l detach-keys -d 'Key sequence for detaching (default ctrl-p,ctrl-q)' -r
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand attach" -l no-stdin -d 'Do not attach STDIN'
complete -c skiff -n "__fish_skiff_using_subcommand attach" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand attach" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand rename" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rename" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand rename" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand rename" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand rename" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pause" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pause" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pause" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pause" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pause" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand unpause" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand unpause" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand unpause" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand unpause" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand unpause" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand diff" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand diff" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand diff" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand diff" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand diff" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s c -l change -d 'Apply a Dockerfile instruction to the new image\'s config' -r
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s m -l message -d 'Commit message' -r
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s a -l author -d 'Author' -r
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s p -l pause -d 'Pause the container while committing (accepted; containers without a freezer are not paused)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand commit" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand commit" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand commit" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s q -l quiet -d 'Print only the image ID'
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand commit" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand export" -s o -l output -d 'Write to a file instead of standard output' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand export" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand export" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand export" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand export" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand export" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand cp" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand cp" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand cp" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand cp" -s a -l archive -d 'Archive mode: keep the files\' owners (default: owned by the destination\'s root)'
complete -c skiff -n "__fish_skiff_using_subcommand cp" -s L -l follow-link -d 'Follow symlinks in SRC_PATH'
complete -c skiff -n "__fish_skiff_using_subcommand cp" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand cp" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand port" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand port" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand port" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand port" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand port" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand top" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand top" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand top" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand top" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand top" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand stats" -l format -d 'Output format: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand stats" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand stats" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand stats" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand stats" -s a -l all -d 'Show all containers (default: running only)'
complete -c skiff -n "__fish_skiff_using_subcommand stats" -l no-stream -d 'Print one sample and exit'
complete -c skiff -n "__fish_skiff_using_subcommand stats" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand stats" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand stats" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "run" -d 'Create and run a container from an image'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "create" -d 'Create a container without starting it'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "start" -d 'Start one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "stop" -d 'Stop one or more running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "restart" -d 'Restart one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "kill" -d 'Send a signal to one or more running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "rm" -d 'Remove one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "ls" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "list" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "inspect" -d 'Display detailed information on containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "logs" -d 'Fetch the logs of a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "exec" -d 'Run a command in a running container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "wait" -d 'Block until containers stop, then print their exit codes'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "attach" -d 'Attach to a running container\'s input and output'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "rename" -d 'Rename a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "pause" -d 'Pause all processes in containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "unpause" -d 'Unpause all processes in containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "prune" -d 'Remove all stopped containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "diff" -d 'Show the changes to a container\'s filesystem'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "cp" -d 'Copy files between a container and the host'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "port" -d 'List a container\'s published ports'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "top" -d 'Display the running processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "stats" -d 'Display a live stream of containers\' resource usage'
complete -c skiff -n "__fish_skiff_using_subcommand container; and not __fish_seen_subcommand_from run create start stop restart kill rm ls list inspect logs exec wait attach rename pause unpause prune diff commit export cp port top stats help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s a -l attach -d 'Attach to STDIN, STDOUT or STDERR (default: all that apply)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l sig-proxy -d 'Proxy received signals to the container\'s process' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l detach-keys -d 'Key sequence for detaching (default ctrl-p,ctrl-q)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l name -d 'Assign a name to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s l -l label -d 'Set metadata on the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l label-file -d 'Read labels from a file of KEY=VALUE lines' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l annotation -d 'Add an OCI annotation to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l restart -d 'Restart policy: no, on-failure[:MAX-RETRIES], always, unless-stopped' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l pull -d 'Pull the image before creating: always, missing, never, newer' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l log-driver -d 'Logging driver: k8s-file, json-file or none' -r -f -a "k8s-file\t''
json-file\t''
none\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l log-opt -d 'Logging driver options' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-signal -d 'Signal to stop the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l stop-timeout -d 'Seconds to wait for the container to stop before killing it' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s p -l publish -d 'Publish a container\'s port(s) to the host' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l network -l net -d 'Network mode: default, none, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l dns -d 'Set custom DNS servers' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l dns-search -d 'Set custom DNS search domains ("." for none)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l dns-option -l dns-opt -d 'Set DNS resolver options' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l add-host -d 'Add a custom host-to-IP mapping' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l mac-address -d 'Container MAC address' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l ip -d 'Container IPv4 address' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l ip6 -d 'Container IPv6 address' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l pod -d 'Run the container in a pod' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cgroupns -d 'Cgroup namespace: private or host' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l ipc -d 'IPC namespace: private, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l pid -d 'PID namespace: private, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l uts -d 'UTS namespace: private, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l userns -d 'User namespace: host or keep-id (rootless: run as your own uid)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l platform -d 'Platform of the image to use (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s e -l env -d 'Set environment variables (KEY alone takes the host\'s value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l env-file -d 'Read environment variables from a file of KEY=VALUE lines' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s u -l user -d 'Username or UID, with an optional group (name|uid[:group|gid])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l group-add -d 'Add additional groups to join' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s h -l hostname -d 'Container host name' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l entrypoint -d 'Overwrite the image\'s ENTRYPOINT ("" clears it; a JSON array is split)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-add -d 'Add Linux capabilities (or ALL)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cap-drop -d 'Drop Linux capabilities (or ALL)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l security-opt -d 'Security options: seccomp=unconfined|PROFILE, no-new-privileges, label=disable, apparmor=PROFILE, mask=PATHS, unmask=PATHS' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l tmpfs -d 'Mount a tmpfs directory (DEST[:OPTIONS])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s v -l volume -d 'Bind mount a volume ([SOURCE:]DEST[:OPTIONS])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l mount -d 'Attach a filesystem mount (type=bind|volume|tmpfs,source=...,target=...)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l device -d 'Add a host device (HOST[:CONTAINER][:PERMISSIONS])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l ulimit -d 'Resource limit (NAME=SOFT[:HARD], -1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l sysctl -d 'Set kernel parameters (KEY=VALUE)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s m -l memory -d 'Memory limit (e.g. 512m, 1g)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l memory-swap -d 'Memory plus swap limit (-1 for unlimited swap)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l memory-reservation -d 'Memory soft limit' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cpus -d 'Number of CPUs (e.g. 1.5)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l cpuset-mems -d 'Memory nodes in which to allow execution (0-3, 0,1)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l pids-limit -d 'Tune the container\'s pids limit (-1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l oom-score-adj -d 'Tune the host\'s OOM preferences (-1000 to 1000)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l shm-size -d 'Size of /dev/shm (e.g. 64m)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s d -l detach -d 'Run in the background and print the container ID'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l rm -d 'Remove the container when it exits'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s P -l publish-all -d 'Publish all exposed ports to random host ports'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l privileged -d 'Give extended privileges to this container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l read-only -d 'Mount the container\'s root filesystem read-only'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from run" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l name -d 'Assign a name to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s l -l label -d 'Set metadata on the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l label-file -d 'Read labels from a file of KEY=VALUE lines' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l annotation -d 'Add an OCI annotation to the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l restart -d 'Restart policy: no, on-failure[:MAX-RETRIES], always, unless-stopped' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l pull -d 'Pull the image before creating: always, missing, never, newer' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l log-driver -d 'Logging driver: k8s-file, json-file or none' -r -f -a "k8s-file\t''
json-file\t''
none\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l log-opt -d 'Logging driver options' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-signal -d 'Signal to stop the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l stop-timeout -d 'Seconds to wait for the container to stop before killing it' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s p -l publish -d 'Publish a container\'s port(s) to the host' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l network -l net -d 'Network mode: default, none, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l dns -d 'Set custom DNS servers' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l dns-search -d 'Set custom DNS search domains ("." for none)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l dns-option -l dns-opt -d 'Set DNS resolver options' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l add-host -d 'Add a custom host-to-IP mapping' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l mac-address -d 'Container MAC address' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l ip -d 'Container IPv4 address' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l ip6 -d 'Container IPv6 address' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l pod -d 'Run the container in a pod' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cgroupns -d 'Cgroup namespace: private or host' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l ipc -d 'IPC namespace: private, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l pid -d 'PID namespace: private, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l uts -d 'UTS namespace: private, host, container:NAME or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l userns -d 'User namespace: host or keep-id (rootless: run as your own uid)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l platform -d 'Platform of the image to use (os/arch[/variant])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s e -l env -d 'Set environment variables (KEY alone takes the host\'s value)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l env-file -d 'Read environment variables from a file of KEY=VALUE lines' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s u -l user -d 'Username or UID, with an optional group (name|uid[:group|gid])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l group-add -d 'Add additional groups to join' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s h -l hostname -d 'Container host name' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l entrypoint -d 'Overwrite the image\'s ENTRYPOINT ("" clears it; a JSON array is split)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-add -d 'Add Linux capabilities (or ALL)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cap-drop -d 'Drop Linux capabilities (or ALL)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l security-opt -d 'Security options: seccomp=unconfined|PROFILE, no-new-privileges, label=disable, apparmor=PROFILE, mask=PATHS, unmask=PATHS' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l tmpfs -d 'Mount a tmpfs directory (DEST[:OPTIONS])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s v -l volume -d 'Bind mount a volume ([SOURCE:]DEST[:OPTIONS])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l mount -d 'Attach a filesystem mount (type=bind|volume|tmpfs,source=...,target=...)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l device -d 'Add a host device (HOST[:CONTAINER][:PERMISSIONS])' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l ulimit -d 'Resource limit (NAME=SOFT[:HARD], -1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l sysctl -d 'Set kernel parameters (KEY=VALUE)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s m -l memory -d 'Memory limit (e.g. 512m, 1g)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l memory-swap -d 'Memory plus swap limit (-1 for unlimited swap)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l memory-reservation -d 'Memory soft limit' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cpus -d 'Number of CPUs (e.g. 1.5)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s c -l cpu-shares -d 'CPU shares (relative weight)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cpuset-cpus -d 'CPUs in which to allow execution (0-3, 0,1)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l cpuset-mems -d 'Memory nodes in which to allow execution (0-3, 0,1)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l pids-limit -d 'Tune the container\'s pids limit (-1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l oom-score-adj -d 'Tune the host\'s OOM preferences (-1000 to 1000)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l shm-size -d 'Size of /dev/shm (e.g. 64m)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l rm -d 'Remove the container when it exits'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s i -l interactive -d 'Keep STDIN open even if not attached'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s P -l publish-all -d 'Publish all exposed ports to random host ports'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l privileged -d 'Give extended privileges to this container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l read-only -d 'Mount the container\'s root filesystem read-only'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l init -d 'Run an init inside the container that forwards signals and reaps processes'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -l detach-keys -d 'Key sequence for detaching (default ctrl-p,ctrl-q)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -s a -l attach -d 'Attach STDOUT/STDERR and forward signals'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -s i -l interactive -d 'Attach STDIN'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s t -l time -l timeout -d 'Seconds to wait before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s s -l signal -d 'Signal to send (default: the image\'s StopSignal, else SIGTERM)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s a -l all -d 'Stop every running container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s t -l time -l timeout -d 'Seconds to wait before killing the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s s -l signal -d 'Signal to send (default: the image\'s StopSignal, else SIGTERM)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s a -l all -d 'Stop every running container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from restart" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -s s -l signal -d 'Signal to send' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from kill" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s f -l force -d 'Kill and remove running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s v -l volumes -d 'Remove the container\'s anonymous volumes'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s a -l all -d 'Remove every container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s n -l last -d 'Show the last N created containers (all states)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output (name, id, status, label, ancestor, exited, pod)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l format -d 'Output format: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s a -l all -d 'Show all containers (default: running only)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only display IDs'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s s -l size -d 'Display total file sizes'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s l -l latest -d 'Show the latest created container (all states)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s p -l pod -d 'Show each container\'s pod (POD ID and PODNAME columns)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s n -l last -d 'Show the last N created containers (all states)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output (name, id, status, label, ancestor, exited, pod)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -l format -d 'Output format: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s a -l all -d 'Show all containers (default: running only)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only display IDs'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s s -l size -d 'Display total file sizes'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s l -l latest -d 'Show the latest created container (all states)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s p -l pod -d 'Show each container\'s pod (POD ID and PODNAME columns)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output using a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -s s -l size -d 'Display total file sizes'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l since -d 'Show logs since a timestamp or relative time (e.g. 10m)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l until -d 'Show logs before a timestamp or relative time' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s n -l tail -d 'Number of lines to show from the end ("all" for everything)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Follow log output'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s t -l timestamps -d 'Show timestamps'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s e -l env -d 'Set environment variables' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l env-file -d 'Read environment variables from a file' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s u -l user -d 'Username or UID[:GID]' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s w -l workdir -d 'Working directory inside the container' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l detach-keys -d 'Key sequence for detaching (default ctrl-p,ctrl-q)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s d -l detach -d 'Run in the background'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s i -l interactive -d 'Keep STDIN open'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s t -l tty -d 'Allocate a pseudo-TTY'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -l privileged -d 'Give extended privileges to the command'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from exec" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from wait" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -l sig-proxy -d 'Proxy received signals to the container\'s process' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -l detach-keys -d 'Key sequence for detaching (default ctrl-p,ctrl-q)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -l no-stdin -d 'Do not attach STDIN'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from attach" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from pause" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from pause" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from pause" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from pause" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from unpause" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from unpause" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from unpause" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from unpause" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from unpause" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -l filter -d 'Filter (until=, label=, label!=)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from diff" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from diff" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from diff" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from diff" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from diff" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s c -l change -d 'Apply a Dockerfile instruction to the new image\'s config' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s m -l message -d 'Commit message' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s a -l author -d 'Author' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s p -l pause -d 'Pause the container while committing (accepted; containers without a freezer are not paused)' -r -f -a "true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s q -l quiet -d 'Print only the image ID'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from commit" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -s o -l output -d 'Write to a file instead of standard output' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -s a -l archive -d 'Archive mode: keep the files\' owners (default: owned by the destination\'s root)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -s L -l follow-link -d 'Follow symlinks in SRC_PATH'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from cp" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from port" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from top" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stats" -l format -d 'Output format: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stats" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stats" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stats" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stats" -s a -l all -d 'Show all containers (default: running only)'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stats" -l no-stream -d 'Print one sample and exit'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stats" -l no-trunc -d 'Do not truncate output'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stats" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from stats" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "run" -d 'Create and run a container from an image'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a container without starting it'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop one or more running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Restart one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Send a signal to one or more running containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display detailed information on containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Fetch the logs of a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Run a command in a running container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Block until containers stop, then print their exit codes'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "attach" -d 'Attach to a running container\'s input and output'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Pause all processes in containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "unpause" -d 'Unpause all processes in containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove all stopped containers'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "diff" -d 'Show the changes to a container\'s filesystem'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "cp" -d 'Copy files between a container and the host'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "port" -d 'List a container\'s published ports'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "top" -d 'Display the running processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "stats" -d 'Display a live stream of containers\' resource usage'
complete -c skiff -n "__fish_skiff_using_subcommand container; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from df info prune check help" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from df info prune check help" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from df info prune check help" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from df info prune check help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from df info prune check help" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from df info prune check help" -f -a "df" -d 'Show disk usage of images, containers and volumes'
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from df info prune check help" -f -a "info" -d 'Display system-wide information'
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from df info prune check help" -f -a "prune" -d 'Remove stopped containers, unused images and (with --volumes) volumes'
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from df info prune check help" -f -a "check" -d 'Check the store for problems, and repair them with --repair'
complete -c skiff -n "__fish_skiff_using_subcommand system; and not __fish_seen_subcommand_from df info prune check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from df" -l format -d 'Output format: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from df" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from df" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from df" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from df" -s v -l verbose -d 'Show each image, container and volume'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from df" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from df" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from info" -s f -l format -d 'Output format: json or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from info" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from info" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from info" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from info" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from info" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from prune" -l filter -d 'Only what matches: until=TIME, label=KEY[=VALUE], label!=KEY[=VALUE]' -r
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from prune" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from prune" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused images, not only dangling ones'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from prune" -l volumes -d 'Prune anonymous volumes no container uses too'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from check" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from check" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from check" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from check" -s r -l repair -d 'Fix what can be fixed'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from check" -s q -l quick -d 'Skip rehashing every blob (the slow part)'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "df" -d 'Show disk usage of images, containers and volumes'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "info" -d 'Display system-wide information'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove stopped containers, unused images and (with --volumes) volumes'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check the store for problems, and repair them with --repair'
complete -c skiff -n "__fish_skiff_using_subcommand system; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand info" -s f -l format -d 'Output format: json or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand info" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand info" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand info" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand info" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand info" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "create" -d 'Create a volume'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "ls" -d 'List volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "list" -d 'List volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "inspect" -d 'Display detailed information on volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "rm" -d 'Remove one or more volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "remove" -d 'Remove one or more volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "prune" -d 'Remove volumes no container uses'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and not __fish_seen_subcommand_from create ls list inspect rm remove prune help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -s d -l driver -d 'Volume driver (only "local")' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -s l -l label -d 'Set metadata, KEY=VALUE (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -s o -l opt -d 'Driver option, KEY=VALUE (repeatable)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l format -d 'Format output: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output: name=TEXT, label=KEY[=VALUE], dangling=true|false, driver=local' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only show volume names'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l format -d 'Format output: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output: name=TEXT, label=KEY[=VALUE], dangling=true|false, driver=local' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only show volume names'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -s n -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format output with a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -s f -l force -d 'Do not fail when a volume does not exist'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -s f -l force -d 'Do not fail when a volume does not exist'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -l filter -d 'Only remove volumes matching: label=KEY[=VALUE], label!=KEY[=VALUE]' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -s f -l force -d 'Do not prompt for confirmation'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -s a -l all -d 'Remove all unused volumes, not only anonymous ones'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from prune" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a volume'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display detailed information on volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove one or more volumes'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "prune" -d 'Remove volumes no container uses'
complete -c skiff -n "__fish_skiff_using_subcommand volume; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -f -a "create" -d 'Create a new pod (and its infra container)'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -f -a "ls" -d 'List pods'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -f -a "ps" -d 'List pods'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -f -a "list" -d 'List pods'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -f -a "inspect" -d 'Display detailed information on pods'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -f -a "start" -d 'Start pods: the infra container, then the members'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -f -a "stop" -d 'Stop pods: the members, then the infra container'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -f -a "restart" -d 'Restart pods'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -f -a "kill" -d 'Send a signal to the running containers of pods'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -f -a "rm" -d 'Remove pods with their containers'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -f -a "top" -d 'Display the running processes of a pod\'s containers'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and not __fish_seen_subcommand_from create ls ps list inspect start stop restart kill rm top help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from create" -s n -l name -d 'Name of the pod (default: a generated one)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from create" -s l -l label -d 'Set metadata on the pod' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from create" -l hostname -d 'The pod\'s hostname (default: its name)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from create" -s p -l publish -d 'Publish a port of the pod to the host' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from create" -l share -d 'Namespaces the members share: ipc, net, pid, uts (+LIST adds to the default ipc,net,uts)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from create" -l network -l net -d 'The pod\'s network: default, none, host, slirp4netns[:OPTS], pasta[:OPTS] or ns:PATH' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from create" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from create" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from create" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ls" -l format -d 'Output format: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ls" -s f -l filter -d 'Filter output (id, name, label, status)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ls" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ls" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ls" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ls" -s q -l quiet -d 'Only print pod IDs'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ls" -l no-trunc -d 'Do not truncate IDs'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ls" -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ls" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ls" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ps" -l format -d 'Output format: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ps" -s f -l filter -d 'Filter output (id, name, label, status)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ps" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ps" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ps" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ps" -s q -l quiet -d 'Only print pod IDs'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ps" -l no-trunc -d 'Do not truncate IDs'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ps" -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ps" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from ps" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from list" -l format -d 'Output format: table, json, or a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from list" -s f -l filter -d 'Filter output (id, name, label, status)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from list" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from list" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Only print pod IDs'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from list" -l no-trunc -d 'Do not truncate IDs'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from list" -l noheading -d 'Do not print column headings'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from inspect" -s f -l format -d 'Format the output using a Go template' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from inspect" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from inspect" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from inspect" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from start" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from start" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from start" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from start" -s a -l all -d 'Every pod'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from stop" -s t -l time -l timeout -d 'Seconds to wait for each container before killing it (default: its own)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from stop" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from stop" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from stop" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from stop" -s a -l all -d 'Every pod'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from restart" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from restart" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from restart" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from restart" -s a -l all -d 'Every pod'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from restart" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from restart" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from kill" -s s -l signal -d 'Signal to send' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from kill" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from kill" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from kill" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from kill" -s a -l all -d 'Every pod'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from kill" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from rm" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from rm" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from rm" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from rm" -s f -l force -d 'Kill running containers first'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from rm" -s i -l ignore -d 'Do not fail when a pod does not exist'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from rm" -s a -l all -d 'Every pod'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from rm" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from rm" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from top" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from top" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from top" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from top" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from top" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a new pod (and its infra container)'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from help" -f -a "ls" -d 'List pods'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Display detailed information on pods'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start pods: the infra container, then the members'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Stop pods: the members, then the infra container'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from help" -f -a "restart" -d 'Restart pods'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Send a signal to the running containers of pods'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from help" -f -a "rm" -d 'Remove pods with their containers'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from help" -f -a "top" -d 'Display the running processes of a pod\'s containers'
complete -c skiff -n "__fish_skiff_using_subcommand pod; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand unshare" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l root -d 'Directory for container state (default: /run/skiff/runtime as root, $XDG_RUNTIME_DIR/skiff/runtime otherwise)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l log -d 'Also write errors (and debug lines) to FILE' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l log-format -d 'Format of --log lines' -r -f -a "text\t''
json\t''"
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l rootless -d 'Rootless mode: auto, true or false (accepted; detected automatically)' -r -f -a "auto\t''
true\t''
false\t''"
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l debug -d 'Log debug information'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -l systemd-cgroup -d 'Use systemd for cgroups (accepted for compatibility)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -s v -l version -d 'Print the version'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "create" -d 'Create a container (its process waits for `start`)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "start" -d 'Start the user process of a created container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "run" -d 'Create and start a container; wait for it unless --detach'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "state" -d 'Print the state of a container as JSON'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "kill" -d 'Send a signal to the container\'s init (or all its processes)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "delete" -d 'Delete a container (must be stopped unless --force)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "exec" -d 'Run a new process inside a container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "ps" -d 'List the processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "list" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "features" -d 'Print the features this runtime supports, as JSON'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "pause" -d 'Freeze all processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "resume" -d 'Thaw a paused container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "update" -d 'Change a running container\'s resource limits'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "spec" -d 'Write a default config.json'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and not __fish_seen_subcommand_from create start run state kill delete exec ps list features pause resume update spec help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -s b -l bundle -d 'Bundle directory (holds config.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l pid-file -d 'Write the container\'s init pid to FILE' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l console-socket -d 'Unix socket that receives the pty master (when process.terminal)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l preserve-fds -d 'Pass N extra fds (3 .. 3+N-1) to the container process' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l no-pivot -d 'Do not use pivot_root (MS_MOVE + chroot; for ramfs roots)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -l no-new-keyring -d 'Do not create a new session keyring (accepted)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from start" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from start" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -s b -l bundle -d 'Bundle directory (holds config.json)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l pid-file -d 'Write the container\'s init pid to FILE' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l console-socket -d 'Unix socket that receives the pty master (when process.terminal)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l preserve-fds -d 'Pass N extra fds (3 .. 3+N-1) to the container process' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -s d -l detach -d 'Return once the container has started'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l no-pivot -d 'Do not use pivot_root (MS_MOVE + chroot; for ramfs roots)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -l no-new-keyring -d 'Do not create a new session keyring (accepted)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from state" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from state" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from state" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from kill" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from kill" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from kill" -s a -l all -d 'Signal every process of the container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from kill" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from delete" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from delete" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from delete" -s f -l force -d 'Kill the container first if it is running'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s p -l process -d 'process.json to run (instead of the flags and COMMAND)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l console-socket -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l pid-file -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l cwd -d 'Working directory in the container' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s e -l env -d 'Set an environment variable (K=V)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s u -l user -d 'UID[:GID] to run as' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s g -l additional-gids -d 'Additional group ids' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s c -l cap -d 'Add a capability (bounding, effective, permitted; ambient too when the spec sets inheritable ones)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l process-label -d 'SELinux process label' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l apparmor -d 'AppArmor profile' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l preserve-fds -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s t -l tty -d 'Allocate a pseudo-TTY (needs --console-socket)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s d -l detach -d 'Return once the process has started'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l no-new-privs -d 'Set no_new_privileges'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -l ignore-paused -d 'Exec even when the container is paused (accepted)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from ps" -s f -l format -r -f -a "table\t''
json\t''"
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from ps" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from ps" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from ps" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from list" -s f -l format -r -f -a "table\t''
json\t''"
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from list" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from list" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only the container IDs'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from features" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from features" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from features" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from pause" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from pause" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from resume" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from resume" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -s r -l resources -d 'JSON file with LinuxResources ("-" for stdin); flags override it' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l memory -d 'Memory limit (bytes, or 512m, 1g...; -1 for none)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l memory-reservation -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l memory-swap -d 'Memory plus swap limit (-1 for unlimited)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpu-share -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpu-quota -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpu-period -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpu-rt-period -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpu-rt-runtime -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpuset-cpus -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l cpuset-mems -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l pids-limit -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l blkio-weight -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from spec" -s b -l bundle -d 'Directory to write config.json to' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from spec" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from spec" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from spec" -l rootless -d 'A spec for rootless containers (user namespace, no cgroup mount)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from spec" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a container (its process waits for `start`)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start the user process of a created container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "run" -d 'Create and start a container; wait for it unless --detach'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "state" -d 'Print the state of a container as JSON'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "kill" -d 'Send a signal to the container\'s init (or all its processes)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a container (must be stopped unless --force)'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Run a new process inside a container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "ps" -d 'List the processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "list" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "features" -d 'Print the features this runtime supports, as JSON'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Freeze all processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Thaw a paused container'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a running container\'s resource limits'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "spec" -d 'Write a default config.json'
complete -c skiff -n "__fish_skiff_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand version" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand version" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand version" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand version" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand version" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand completion" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand completion" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand completion" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand completion" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand completion" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand generate-man" -l root -d 'Storage root (default: $XDG_DATA_HOME/skiff, or /var/lib/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand generate-man" -l runroot -d 'Runtime state dir (default: $XDG_RUNTIME_DIR/skiff, or /run/skiff for root)' -r -F
complete -c skiff -n "__fish_skiff_using_subcommand generate-man" -l storage-driver -d 'Storage driver: overlay, fuse-overlayfs or vfs (default: probed once)' -r
complete -c skiff -n "__fish_skiff_using_subcommand generate-man" -s h -l help -d 'Print help'
complete -c skiff -n "__fish_skiff_using_subcommand generate-man" -s V -l version -d 'Print version'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "images" -d 'List images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "rmi" -d 'Remove one or more images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "tag" -d 'Create a tag TARGET that refers to SOURCE'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "inspect" -d 'Display detailed information on images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "history" -d 'Show the history of an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "import" -d 'Create an image from a tarball or directory of a root filesystem'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "save" -d 'Save images to a tar archive (docker-archive or oci-archive)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "load" -d 'Load images from a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "login" -d 'Log in to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "logout" -d 'Log out from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "image" -d 'Manage images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "run" -d 'Create and run a container from an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "create" -d 'Create a container without starting it'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "start" -d 'Start one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "stop" -d 'Stop one or more running containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "restart" -d 'Restart one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "kill" -d 'Send a signal to one or more running containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "rm" -d 'Remove one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "ps" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "logs" -d 'Fetch the logs of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "exec" -d 'Run a command in a running container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "wait" -d 'Block until containers stop, then print their exit codes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "attach" -d 'Attach to a running container\'s input and output'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "rename" -d 'Rename a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "pause" -d 'Pause all processes in containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "unpause" -d 'Unpause all processes in containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "diff" -d 'Show the changes to a container\'s filesystem'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "cp" -d 'Copy files between a container and the host'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "port" -d 'List a container\'s published ports'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "top" -d 'Display the running processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "stats" -d 'Display a live stream of containers\' resource usage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "container" -d 'Manage containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "system" -d 'Manage skiff: disk usage, information, pruning, store checks'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "info" -d 'Display system-wide information'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "volume" -d 'Manage volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "pod" -d 'Manage pods: containers sharing network, IPC and UTS namespaces'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "unshare" -d 'Run a command inside skiff\'s user namespace'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "runtime" -d 'The built-in OCI runtime, with runc\'s command line'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "version" -d 'Show version information'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "completion" -d 'Print a shell completion script (bash, zsh, fish)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "generate-man" -d 'Write man pages to a directory'
complete -c skiff -n "__fish_skiff_using_subcommand help; and not __fish_seen_subcommand_from pull push images rmi tag inspect history import save load login logout image run create start stop restart kill rm ps logs exec wait attach rename pause unpause diff commit export cp port top stats container system info volume pod unshare runtime version completion generate-man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "ls" -d 'List images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "pull" -d 'Pull an image from a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "push" -d 'Push an image to a registry'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "rm" -d 'Remove one or more images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "tag" -d 'Create a tag TARGET that refers to SOURCE'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "inspect" -d 'Display detailed information on images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "history" -d 'Show the history of an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "import" -d 'Create an image from a tarball or directory'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "save" -d 'Save images to a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "load" -d 'Load images from a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "prune" -d 'Remove unused images'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "run" -d 'Create and run a container from an image'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "create" -d 'Create a container without starting it'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "start" -d 'Start one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "stop" -d 'Stop one or more running containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "restart" -d 'Restart one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "kill" -d 'Send a signal to one or more running containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "rm" -d 'Remove one or more containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "ls" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "inspect" -d 'Display detailed information on containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "logs" -d 'Fetch the logs of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "exec" -d 'Run a command in a running container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "wait" -d 'Block until containers stop, then print their exit codes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "attach" -d 'Attach to a running container\'s input and output'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "rename" -d 'Rename a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "pause" -d 'Pause all processes in containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "unpause" -d 'Unpause all processes in containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "prune" -d 'Remove all stopped containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "diff" -d 'Show the changes to a container\'s filesystem'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "commit" -d 'Create a new image from a container\'s changes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "export" -d 'Export a container\'s filesystem as a tar archive'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "cp" -d 'Copy files between a container and the host'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "port" -d 'List a container\'s published ports'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "top" -d 'Display the running processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from container" -f -a "stats" -d 'Display a live stream of containers\' resource usage'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "df" -d 'Show disk usage of images, containers and volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "info" -d 'Display system-wide information'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "prune" -d 'Remove stopped containers, unused images and (with --volumes) volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from system" -f -a "check" -d 'Check the store for problems, and repair them with --repair'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "create" -d 'Create a volume'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "ls" -d 'List volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "inspect" -d 'Display detailed information on volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "rm" -d 'Remove one or more volumes'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from volume" -f -a "prune" -d 'Remove volumes no container uses'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from pod" -f -a "create" -d 'Create a new pod (and its infra container)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from pod" -f -a "ls" -d 'List pods'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from pod" -f -a "inspect" -d 'Display detailed information on pods'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from pod" -f -a "start" -d 'Start pods: the infra container, then the members'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from pod" -f -a "stop" -d 'Stop pods: the members, then the infra container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from pod" -f -a "restart" -d 'Restart pods'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from pod" -f -a "kill" -d 'Send a signal to the running containers of pods'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from pod" -f -a "rm" -d 'Remove pods with their containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from pod" -f -a "top" -d 'Display the running processes of a pod\'s containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "create" -d 'Create a container (its process waits for `start`)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "start" -d 'Start the user process of a created container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "run" -d 'Create and start a container; wait for it unless --detach'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "state" -d 'Print the state of a container as JSON'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "kill" -d 'Send a signal to the container\'s init (or all its processes)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "delete" -d 'Delete a container (must be stopped unless --force)'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "exec" -d 'Run a new process inside a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "ps" -d 'List the processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "list" -d 'List containers'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "features" -d 'Print the features this runtime supports, as JSON'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "pause" -d 'Freeze all processes of a container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "resume" -d 'Thaw a paused container'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "update" -d 'Change a running container\'s resource limits'
complete -c skiff -n "__fish_skiff_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "spec" -d 'Write a default config.json'
