import type { SVGProps } from 'react';

type IconProps = SVGProps<SVGSVGElement> & { size?: number };

/** The shared SVG frame of every icon: 16×16 grid, stroked with the current text colour. */
function SvgIcon({ size = 16, paths, ...props }: IconProps & { paths: string }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...props}
    >
      {paths.split('|').map((d) => (
        <path key={d} d={d} />
      ))}
    </svg>
  );
}

/** Inline icons (no icon fonts or CDNs: the app must work offline). */
export const PlusIcon = (props: IconProps) => <SvgIcon paths="M8 3v10|M3 8h10" {...props} />;
export const CloseIcon = (props: IconProps) => <SvgIcon paths="M4 4l8 8|M12 4l-8 8" {...props} />;
export const ChevronRightIcon = (props: IconProps) => <SvgIcon paths="M6 4l4 4-4 4" {...props} />;
export const ChevronDownIcon = (props: IconProps) => <SvgIcon paths="M4 6l4 4 4-4" {...props} />;
export const FileIcon = (props: IconProps) => <SvgIcon paths="M4 1.5h5l3 3v10H4z|M9 1.5v3h3" {...props} />;
export const FolderIcon = (props: IconProps) => <SvgIcon paths="M1.5 4v8.5h13V5.5H7.5L6 4z" {...props} />;
export const FolderPlusIcon = (props: IconProps) => (
  <SvgIcon paths="M1.5 4v8.5h13V5.5H7.5L6 4z|M8 7.5v3.5|M6.25 9.25h3.5" {...props} />
);
export const FilePlusIcon = (props: IconProps) => (
  <SvgIcon paths="M4 1.5h5l3 3v10H4z|M8 7v4|M6 9h4" {...props} />
);
export const UploadIcon = (props: IconProps) => <SvgIcon paths="M8 11V3|M5 6l3-3 3 3|M3 13h10" {...props} />;
export const DownloadIcon = (props: IconProps) => <SvgIcon paths="M8 3v8|M5 8l3 3 3-3|M3 13h10" {...props} />;
export const RefreshIcon = (props: IconProps) => (
  <SvgIcon paths="M13 8a5 5 0 1 1-1.5-3.5|M13 3v2.5h-2.5" {...props} />
);
export const TrashIcon = (props: IconProps) => (
  <SvgIcon paths="M3 4.5h10|M6.5 4.5V3h3v1.5|M4.5 4.5l.5 9h6l.5-9" {...props} />
);
export const PencilIcon = (props: IconProps) => <SvgIcon paths="M11 2.5l2.5 2.5L6 12.5H3.5V10z" {...props} />;
export const PlayIcon = (props: IconProps) => <SvgIcon paths="M5 3.5v9l7-4.5z" {...props} />;
export const StopIcon = (props: IconProps) => <SvgIcon paths="M4.5 4.5h7v7h-7z" {...props} />;
export const UsersIcon = (props: IconProps) => (
  <SvgIcon
    paths="M6 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5|M1.5 13.5c.5-2.5 2.3-4 4.5-4s4 1.5 4.5 4|M10.5 2.7a2.5 2.5 0 0 1 0 4.6|M12 9.8c1.3.6 2.2 1.9 2.5 3.7"
    {...props}
  />
);
export const MoreIcon = (props: IconProps) => <SvgIcon paths="M3.5 8h.01|M8 8h.01|M12.5 8h.01" {...props} />;
export const TerminalIcon = (props: IconProps) => (
  <SvgIcon paths="M2 3h12v10H2z|M4.5 6l2 2-2 2|M8 10h3" {...props} />
);
export const CpuIcon = (props: IconProps) => (
  <SvgIcon
    paths="M4 4h8v8H4z|M6.5 6.5h3v3h-3z|M6 1.5V4|M10 1.5V4|M6 12v2.5|M10 12v2.5|M1.5 6H4|M1.5 10H4|M12 6h2.5|M12 10h2.5"
    {...props}
  />
);
export const LogoutIcon = (props: IconProps) => (
  <SvgIcon paths="M6 2.5H3v11h3|M10 5l3 3-3 3|M13 8H6" {...props} />
);
export const SunIcon = (props: IconProps) => (
  <SvgIcon
    paths="M8 10.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5|M8 1.5v1.5|M8 13v1.5|M1.5 8H3|M13 8h1.5|M3.4 3.4l1 1|M11.6 11.6l1 1|M3.4 12.6l1-1|M11.6 4.4l1-1"
    {...props}
  />
);
export const MoonIcon = (props: IconProps) => (
  <SvgIcon paths="M13 9.5A5.5 5.5 0 0 1 6.5 3a5.5 5.5 0 1 0 6.5 6.5z" {...props} />
);
export const EyeIcon = (props: IconProps) => (
  <SvgIcon
    paths="M1.5 8s2.5-4.5 6.5-4.5S14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8z|M8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4"
    {...props}
  />
);
export const BoxIcon = (props: IconProps) => (
  <SvgIcon paths="M8 1.5l6 3v7l-6 3-6-3v-7z|M2 4.5l6 3 6-3|M8 7.5v7" {...props} />
);
export const SearchIcon = (props: IconProps) => (
  <SvgIcon paths="M7 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10|M14 14l-3.5-3.5" {...props} />
);
export const AlertIcon = (props: IconProps) => (
  <SvgIcon paths="M8 2l6.5 11.5h-13z|M8 6.5v3|M8 11.5h.01" {...props} />
);
export const KeyIcon = (props: IconProps) => (
  <SvgIcon
    paths="M5.5 13a3 3 0 1 0 0-6 3 3 0 0 0 0 6|M7.7 7.8L13 2.5|M11 4.5l1.5 1.5|M9.5 6l1 1"
    {...props}
  />
);
export const CopyIcon = (props: IconProps) => (
  <SvgIcon paths="M5.5 5.5h8v8h-8z|M10.5 5.5v-3h-8v8h3" {...props} />
);
export const CheckIcon = (props: IconProps) => <SvgIcon paths="M3 8.5l3 3 7-7" {...props} />;
export const CodeIcon = (props: IconProps) => (
  <SvgIcon paths="M5.5 4.5L2 8l3.5 3.5|M10.5 4.5L14 8l-3.5 3.5|M9 3l-2 10" {...props} />
);
export const ExternalLinkIcon = (props: IconProps) => (
  <SvgIcon paths="M9 2.5h4.5V7|M13.5 2.5L7 9|M11.5 9.5v4h-9v-9h4" {...props} />
);
